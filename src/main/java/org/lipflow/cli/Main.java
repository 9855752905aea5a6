package org.lipflow.cli;

import org.lipflow.flow.NonFiniteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code jobs/lipflow} and of the job jar. Exit codes: 0 success, 2 bad input or
 * configuration, 3 numerical blow-up (non-finite particles), 1 anything else. Errors are one line.
 */
@Command(name = "lipflow", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lipschitz-regularized gradient flows and generative particles.",
        subcommands = {RunCommand.class, AutoencoderCommand.class, DatasetsCommand.class, DivergenceCommand.class, BenchCommand.class,
                EvalCommand.class})
public final class Main implements Runnable {
    public static final int BAD_INPUT = 2;
    public static final int NON_FINITE = 3;
    /** Stopped by a termination signal after writing a checkpoint (128 + SIGTERM, as a shell reports it). */
    public static final int STOPPED = 143;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: run, autoencoder, datasets, divergence, bench or eval");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /**
     * Runs a command line with the given standard output and error. Whatever it prints there and
     * logs passes through {@link org.lipflow.util.Redaction} (no credential in a message).
     */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        org.lipflow.engine.spark.LogRedaction.install();
        java.io.PrintWriter rOut = new java.io.PrintWriter(new org.lipflow.util.RedactingWriter(out), true);
        java.io.PrintWriter rErr = new java.io.PrintWriter(new org.lipflow.util.RedactingWriter(err), true);
        try {
            return execute(new CommandLine(new Main()), rOut, rErr, args);
        } finally {
            rOut.flush();
            rErr.flush();
        }
    }

    private static int execute(CommandLine cl, java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable t = e;
            while ((t instanceof java.io.UncheckedIOException || t instanceof java.util.concurrent.CompletionException)
                    && t.getCause() != null) {
                t = t.getCause();
            }
            t = userError(t);
            if (t instanceof org.lipflow.checkpoint.RunCheckpoints.Stopped s) {
                if (!s.reported()) {
                    line.getErr().println("lipflow: " + t.getMessage());
                }
                return STOPPED;
            }
            if (t instanceof NonFiniteException) {
                line.getErr().println("lipflow: error: " + t.getMessage());
                return NON_FINITE;
            }
            if (t instanceof IllegalArgumentException) {
                line.getErr().println("lipflow: error: " + t.getMessage());
                return BAD_INPUT;
            }
            line.getErr().println("lipflow: internal error: " + t);
            if (System.getenv("LIPFLOW_DEBUG") != null) {
                t.printStackTrace(line.getErr());
            }
            return 1;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("lipflow: error: " + e.getMessage().replace('\n', ' '));
            return BAD_INPUT;
        });
        return cl.execute(args);
    }

    /**
     * A bad-input error raised inside a Spark task reaches the driver wrapped in SparkExceptions;
     * the user needs the original one-line message. Spark's own reports of bad input (a missing
     * path, an unreadable Parquet file) become one-line errors too.
     */
    static Throwable userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IllegalArgumentException || c instanceof NonFiniteException) {
                return c;
            }
        }
        java.util.Optional<IllegalArgumentException> spark = org.lipflow.engine.spark.SparkErrors.userError(t);
        if (spark.isPresent()) {
            return spark.get();
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            // a URI whose scheme has no Hadoop file system here (s3a:// without hadoop-aws): bad input, not a crash
            if (c instanceof org.apache.hadoop.fs.UnsupportedFileSystemException
                    || c instanceof ClassNotFoundException && String.valueOf(c.getMessage()).contains("org.apache.hadoop.fs.")) {
                return new IllegalArgumentException("a path's URI scheme has no Hadoop file system on the class path ("
                        + c.getMessage() + "); add the file system's module (hadoop-aws for s3a://) or use another URI");
            }
        }
        String m = t.getMessage();
        int i = m == null ? -1 : m.indexOf("java.lang.IllegalArgumentException: ");
        if (i >= 0) {
            return new IllegalArgumentException(m.substring(i + 36).lines().findFirst().orElse(""));
        }
        return t;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"lipflow " + org.lipflow.util.Versions.lipflow()};
        }
    }
}
