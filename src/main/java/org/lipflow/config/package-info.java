/**
 * HOCON configuration: defaults, run files and --set overrides, validated and converted into
 * {@link org.lipflow.flow.FlowOptions} and a run specification. Unknown keys are errors.
 */
package org.lipflow.config;
