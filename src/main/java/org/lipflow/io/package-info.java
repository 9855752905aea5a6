/**
 * Tables (CSV, Parquet through Hadoop), atomically committed output directories, metrics.jsonl,
 * manifests, JSON and PNG plots.
 */
package org.lipflow.io;
