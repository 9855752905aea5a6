/**
 * Counter-based random numbers, a chunked worker pool with deterministic reduction order,
 * version information, and the security helpers every layer uses: {@link org.lipflow.util.Redaction}
 * (credentials out of outputs and messages) and {@link org.lipflow.util.ModelZips} (no Java
 * deserialization of model files). No dependencies.
 */
package org.lipflow.util;
