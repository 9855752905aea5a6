package org.lipflow.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The WARN and ERROR lines log4j2 would print while it is open: what a user sees on stderr above
 * lipflow's own message (log filters apply before it, as before the console).
 */
public final class LogCapture implements AutoCloseable {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final AbstractAppender appender;
    private final LoggerContext ctx = (LoggerContext) LogManager.getContext(false);

    public LogCapture() {
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                lines.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getMessage().getFormattedMessage()
                        + (e.getThrown() == null ? "" : " [" + e.getThrown() + "]"));
            }
        };
        appender.start();
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.WARN, null);
        ctx.updateLoggers();
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
        ctx.updateLoggers();
        appender.stop();
    }
}
