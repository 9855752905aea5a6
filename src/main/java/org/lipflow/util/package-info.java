/**
 * Counter-based random numbers, a chunked worker pool with deterministic reduction order, and
 * version information. No dependencies.
 */
package org.lipflow.util;
