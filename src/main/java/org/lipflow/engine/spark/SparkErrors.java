package org.lipflow.engine.spark;

import org.apache.spark.SparkThrowable;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Failures inside Spark that are the user's input, not lipflow's bug: lipflow's own validation
 * (an IllegalArgumentException or a lipflow exception raised in lipflow code, possibly on an
 * executor) and Spark's reports of a missing input path or an unreadable Parquet file. The CLI
 * turns them into one-line errors with exit code 2; {@link SparkLogFilter} keeps Spark from
 * also logging them with stack traces.
 */
public final class SparkErrors {
    /** An exception line of lipflow's (as Spark prints a task failure) whose first frame is lipflow code. */
    private static final Pattern LIPFLOW_RAISED = Pattern.compile(
            "(java\\.lang\\.IllegalArgumentException|org\\.lipflow\\.[\\w.$]+): [^\\n]*\\R\\s*at org\\.lipflow\\.");

    private SparkErrors() {
    }

    /** The user error in a throwable's cause chain, as a one-line IllegalArgumentException, if there is one. */
    public static Optional<IllegalArgumentException> userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SparkThrowable s && s.getErrorClass() != null) {
                switch (s.getErrorClass()) {
                    case "PATH_NOT_FOUND":
                        return Optional.of(new IllegalArgumentException(local(s.getMessageParameters().getOrDefault("path", "?"))
                                + ": file not found"));
                    case "CANNOT_READ_FILE_FOOTER":
                        return Optional.of(new IllegalArgumentException(local(s.getMessageParameters().getOrDefault("file", "?"))
                                + ": not a readable Parquet file (truncated or corrupt: " + rootMessage(c) + ")"));
                    default:
                        break;
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a throwable is, or is caused by, an error lipflow reports to the user as one line. */
    static boolean isUserError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            StackTraceElement[] st = c.getStackTrace();
            boolean raisedByLipflow = st.length > 0 && st[0].getClassName().startsWith("org.lipflow.");
            if (raisedByLipflow && (c instanceof IllegalArgumentException || c.getClass().getName().startsWith("org.lipflow."))) {
                return true;
            }
        }
        return userError(t).isPresent();
    }

    /** Whether a log message (Spark's text of a task failure) describes such an error. */
    static boolean mentionsUserError(String message) {
        return message != null && (message.contains("[PATH_NOT_FOUND]") || message.contains("[CANNOT_READ_FILE_FOOTER]")
                || LIPFLOW_RAISED.matcher(message).find());
    }

    private static String local(String uri) {
        return uri.startsWith("file:") && !uri.startsWith("file://") ? uri.substring("file:".length()) : uri;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
        int dot = m.indexOf(" is not a Parquet file. ");
        return (dot >= 0 ? m.substring(dot + " is not a Parquet file. ".length()) : m).lines().findFirst().orElse(m);
    }
}
