/**
 * The quality monitors on the Spark engine's particles: measured on the executors in one job with
 * one reduction, the monitor broadcast. Depends on monitor, eval, flow and Spark.
 */
package org.lipflow.monitor.spark;
