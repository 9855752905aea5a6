package org.lipflow.engine.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.LabelSampler;
import org.lipflow.flow.MoveStats;
import org.lipflow.flow.ParameterAverage;
import org.lipflow.flow.ShardStep;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;
import scala.reflect.ClassTag$;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What lipflow's Spark jobs ship survives Spark's KryoSerializer configured as conf/spark-defaults.conf
 * configures it, with spark.kryo.registrationRequired=true (an unregistered class is an error):
 * the round trip gives an object whose Java serialization is byte-identical to the original's.
 */
class LipflowKryoRegistratorTest {
    private static final SerializerInstance KRYO = new KryoSerializer(new SparkConf(false)
            .set("spark.kryo.registrator", LipflowKryoRegistrator.class.getName())
            .set("spark.kryo.registrationRequired", "true")).newInstance();

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T o) {
        return (T) KRYO.deserialize(KRYO.serialize(o, ClassTag$.MODULE$.Any()), ClassTag$.MODULE$.Any());
    }

    static byte[] javaBytes(Serializable o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    static void assertSurvives(Serializable o) throws IOException {
        Serializable back = roundTrip(o);
        assertEquals(o.getClass(), back.getClass());
        assertArrayEquals(javaBytes(o), javaBytes(back), o.getClass().getName());
    }

    @Test
    void particleBlocksDiscriminatorStateAndShardResultsSurviveKryoWithRegistrationRequired() throws IOException {
        Block block = new Block(3, 2, new float[]{1, 2, 3, 4, 5, Float.MIN_VALUE}, new int[]{0, 1, 1}, new long[]{7, 8, 9});
        assertSurvives(block);
        assertSurvives(new Block(1, 1, new float[]{-0f}, null, null));
        DiscriminatorState state = DiscriminatorState.initial(new MlpLayout(2, new int[]{8, 8}, 3, Activation.LEAKY_RELU),
                LipflowConfig.defaultFlowOptions());
        state.m[0] = 0.25f;
        state.t = 11;
        assertSurvives(state);
        ParameterAverage average = new ParameterAverage();
        average.add(state, 2.0);
        assertSurvives(average);
        ShardStep step = ShardStep.empty(2);
        step.record(0, new MoveStats(1.5, 0.9, 2.5, 40), 0.125, 40);
        step.finish(state, 40);
        assertSurvives(step);
        assertSurvives(new MoveStats[]{MoveStats.EMPTY, new MoveStats(1, 2, 3, 4)});
        assertSurvives(LabelSampler.of(new long[]{3, 5}, 1L));
        assertSurvives(LipflowConfig.defaultFlowOptions()); // broadcast once per run
        Tuple2<Block, ShardStep> pair = roundTrip(new Tuple2<>(block, step));
        assertArrayEquals(javaBytes(block), javaBytes(pair._1()));
    }

    @Test
    void nd4jArraysSurviveThroughJavaSerialization() {
        INDArray a = Nd4j.create(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(a, roundTrip(a));
    }

    @Test
    void anUnregisteredClassIsRefused() {
        assertThrows(Exception.class, () -> roundTrip(new java.util.concurrent.atomic.AtomicLong(3)));
    }
}
