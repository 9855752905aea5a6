package org.lipflow.engine.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.LabelSampler;
import org.lipflow.flow.MoveStats;
import org.lipflow.flow.ParameterAverage;
import org.lipflow.flow.ShardStep;
import org.lipflow.latent.AutoencoderFit;
import org.lipflow.latent.AutoencoderModel;
import org.lipflow.latent.ColumnStats;
import org.lipflow.latent.PcaModel;
import org.lipflow.latent.SparkPca;
import org.nd4j.linalg.cpu.nativecpu.NDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Registers the classes lipflow's Spark jobs ship (RDD elements, broadcasts, task results,
 * checkpoints) with Kryo, so a run under {@code spark.serializer=KryoSerializer} writes class ids
 * instead of class names and passes {@code spark.kryo.registrationRequired=true}. Named by
 * {@code spark.kryo.registrator} in {@code conf/spark-defaults.conf}.
 *
 * <p>Plain value classes (particle blocks, discriminator state, per-shard results) use Kryo's
 * field serializer. Classes that hold records or ND4J arrays go through Java serialization inside
 * Kryo: Kryo 4 cannot build records, and an INDArray's data lives off-heap, where a field
 * serializer sees nothing (ND4J's own registrator, nd4j-kryo, is not on lipflow's class path).
 * DL4J Spark checks at start that an INDArray survives the configured serializer, which this
 * registration makes true.
 */
public final class LipflowKryoRegistrator implements KryoRegistrator {
    /** Serialized field by field. */
    static final List<Class<?>> FIELD_CLASSES = List.of(
            Block.class, Block[].class, ShardStep.class, ParameterAverage.class, MoveStats.class, MoveStats[].class,
            DiscriminatorState.class, LabelSampler.class, MlpLayout.class, Activation.class, ColumnStats.class,
            SparkPca.Moments.class, float[][].class, double[][].class, int[][].class, long[][].class, ArrayList.class,
            org.lipflow.eval.ReferenceDistances.Sums.class);

    /** Serialized with Java serialization inside Kryo (records, ND4J arrays). */
    static final List<Class<?>> JAVA_SERIALIZED_CLASSES = List.of(
            AutoencoderModel.class, PcaModel.class, AutoencoderFit.class, NDArray.class, DataSet.class, FlowOptions.class,
            org.lipflow.monitor.QualityMonitor.class);

    @Override
    public void registerClasses(Kryo kryo) {
        FIELD_CLASSES.forEach(kryo::register);
        JavaSerializer java = new JavaSerializer();
        JAVA_SERIALIZED_CLASSES.forEach(c -> kryo.register(c, java));
    }
}
