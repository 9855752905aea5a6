package org.lipflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The input files of the content-error tests ({@link InputContentErrorsCliTest} in process,
 * {@link InputContentErrorsSparkCliTest} on Spark) and their check that a failed command wrote
 * nothing: one set, so that both engines are tried on the same bad files.
 */
final class ContentErrorFiles {
    private final Path dir;

    ContentErrorFiles(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** A good 2-D target of 8 rows. */
    Path target() throws IOException {
        return write("t.csv", "x1,x2\n0,0\n0,4\n4,0\n4,4\n1,1\n1,3\n3,1\n3,3\n");
    }

    /** A file like /etc/hostname: one line, read as the header, and no data rows. */
    Path oneLine() throws IOException {
        return write("hostname", "myhost\n");
    }

    /** 'abc' in row 2, column x2 (line 3 of the file). */
    Path notANumber() throws IOException {
        return write("bad.csv", "x1,x2\n1,2\n3,abc\n");
    }

    /** One field in line 3 where the header has two. */
    Path ragged() throws IOException {
        return write("ragged.csv", "x1,x2\n1,2\n3\n");
    }

    Path threeColumns() throws IOException {
        return write("d3.csv", "x1,x2,x3\n1,2,3\n3,4,5\n");
    }

    /** The --out of every command under test. */
    Path out() {
        return dir.resolve("out");
    }

    /** Neither the output nor its temporary sibling exists. */
    void assertNothingWritten() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith("out") || p.getFileName().toString().startsWith(".out")),
                    "nothing written");
        }
    }
}
