package org.lipflow.engine.spark;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.rewrite.RewriteAppender;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.lipflow.util.Redaction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes every log4j2 event of this JVM (lipflow's, Spark's, Hadoop's) through {@link Redaction}
 * before an appender writes it: the message and the messages of a logged exception and its
 * causes. Spark redacts its configuration itself ({@code spark.redaction.regex}), but not a
 * path with credentials in an error such as "Path does not exist: s3a://KEY:SECRET@bucket/x".
 *
 * <p>Each configured appender a logger writes to is wrapped in a rewrite appender (once: a call
 * wraps only what is not wrapped yet, so a reconfiguration is wrapped on the next call). Does
 * nothing when log4j2 is not the logging backend.
 */
public final class LogRedaction implements RewritePolicy {
    private static final String SUFFIX = ".lipflow-redacted";

    private LogRedaction() {
    }

    /** Wraps the configured appenders of the current log4j2 configuration that are not wrapped yet. */
    public static void install() {
        try {
            if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
                return;
            }
            Configuration config = ctx.getConfiguration();
            synchronized (LogRedaction.class) {
                wrap(config);
            }
            ctx.updateLoggers();
        } catch (LinkageError | RuntimeException e) {
            // another logging backend, or a configuration this cannot wrap: logs as configured
        }
    }

    private static void wrap(Configuration config) {
        LogRedaction policy = new LogRedaction();
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        if (!loggers.contains(config.getRootLogger())) {
            loggers.add(config.getRootLogger());
        }
        for (LoggerConfig lc : loggers) {
            Map<String, AppenderRef> refs = new LinkedHashMap<>();
            for (AppenderRef r : lc.getAppenderRefs()) {
                refs.put(r.getRef(), r);
            }
            for (Map.Entry<String, Appender> e : new LinkedHashMap<>(lc.getAppenders()).entrySet()) {
                String name = e.getKey();
                if (name.endsWith(SUFFIX) || !config.getAppenders().containsKey(name)) {
                    continue; // wrapped already, or added by code (a test's capture) rather than configured
                }
                Appender wrap = config.getAppender(name + SUFFIX);
                if (wrap == null) {
                    wrap = RewriteAppender.createAppender(name + SUFFIX, "true",
                            new AppenderRef[]{AppenderRef.createAppenderRef(name, null, null)}, config, policy, null);
                    wrap.start();
                    config.addAppender(wrap);
                }
                AppenderRef ref = refs.get(name);
                lc.removeAppender(name);
                lc.addAppender(wrap, ref == null ? null : ref.getLevel(), ref == null ? null : ref.getFilter());
            }
        }
    }

    @Override
    public LogEvent rewrite(LogEvent source) {
        String message = source.getMessage() == null ? null : source.getMessage().getFormattedMessage();
        String redacted = Redaction.text(message);
        Throwable thrown = source.getThrown();
        Throwable redactedThrown = redact(thrown);
        if (java.util.Objects.equals(message, redacted) && redactedThrown == thrown) {
            return source;
        }
        return new Log4jLogEvent.Builder(source).setMessage(new SimpleMessage(redacted)).setThrown(redactedThrown)
                .setThrownProxy(null).build();
    }

    /** {@code t} itself when no message of its chain holds a secret, else a copy with redacted messages and the same stack traces. */
    static Throwable redact(Throwable t) {
        if (t == null || !holdsSecret(t, 0)) {
            return t;
        }
        return copy(t, 0);
    }

    private static boolean holdsSecret(Throwable t, int depth) {
        if (t == null || depth > 20) {
            return false;
        }
        String s = t.toString();
        return !s.equals(Redaction.text(s)) || holdsSecret(t.getCause(), depth + 1);
    }

    private static Throwable copy(Throwable t, int depth) {
        Redacted r = new Redacted(Redaction.text(t.toString()), t.getCause() == null || depth > 20 ? null : copy(t.getCause(), depth + 1));
        r.setStackTrace(t.getStackTrace());
        return r;
    }

    /** An exception as it is logged after redaction: its message starts with the original class name. */
    static final class Redacted extends RuntimeException {
        Redacted(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
