package org.lipflow.util;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that passes each line through {@link Redaction#text} before it reaches {@code out}:
 * the command line's stdout and stderr, so that no message lipflow prints (its log lines, its
 * one-line errors, picocli's) shows a credential. A line is written when it ends or on flush.
 */
public final class RedactingWriter extends Writer {
    private final Writer out;
    private final StringBuilder line = new StringBuilder();

    public RedactingWriter(Writer out) {
        super(out);
        this.out = out;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        synchronized (lock) {
            for (int i = off; i < off + len; i++) {
                line.append(buf[i]);
                if (buf[i] == '\n') {
                    emit();
                }
            }
        }
    }

    private void emit() throws IOException {
        if (line.length() > 0) {
            out.write(Redaction.text(line.toString()));
            line.setLength(0);
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (lock) {
            emit();
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            emit();
            out.close();
        }
    }
}
