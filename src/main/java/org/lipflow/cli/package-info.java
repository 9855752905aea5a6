/**
 * The picocli commands behind jobs/lipflow and the job jar: run, datasets, divergence, bench.
 * Maps failures to exit codes: 2 bad input, 3 numerical blow-up, 1 other.
 */
package org.lipflow.cli;
