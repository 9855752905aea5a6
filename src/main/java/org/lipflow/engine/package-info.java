/**
 * Where a flow runs: {@link org.lipflow.engine.FlowEngine} and the in-process engine (the whole
 * ensemble as one shard over local threads). Depends on flow.
 */
package org.lipflow.engine;
