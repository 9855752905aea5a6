package org.lipflow.util;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactionTest {
    @Test
    void keysThatNameASecretAreRecognisedWhateverTheirCaseAndSeparator() {
        for (String k : new String[]{"fs.s3a.secret.key", "spark.hadoop.fs.s3a.access.key", "FS.S3A.SESSION.TOKEN", "db.password",
                "fs.azure.account.key.acct.blob.core.windows.net", "fs.azure.sas.token.x", "spark.authenticate.secret",
                "aws_secret_access_key", "AccessKey", "gcs.private-key", "some.credential"}) {
            assertTrue(Redaction.isSecretKey(k), k);
        }
        for (String k : new String[]{"target.path", "engine.master", "output.dir", "seed", "fs.s3a.endpoint", "keep-checkpoints"}) {
            assertFalse(Redaction.isSecretKey(k), k);
        }
    }

    @Test
    void uriUserInfoIsRemovedAndTheRestKept() {
        assertEquals("s3a://[redacted]@bucket/x.csv", Redaction.text("s3a://AKIAFAKE:FAKESECRET@bucket/x.csv"));
        assertEquals("cannot read s3a://[redacted]@bucket/x.csv (no FileSystem)",
                Redaction.text("cannot read s3a://AKIAFAKE:FAKE/SEC+RET@bucket/x.csv (no FileSystem)"), "a secret with a slash");
        assertEquals("\"uri\":\"https://[redacted]@host/p\"", Redaction.text("\"uri\":\"https://user:pw@host/p\""));
        for (String kept : new String[]{"hdfs://nn:8020/data/x.parquet", "/tmp/run@1/out", "mail me at user@example.com",
                "step 5/10  H=0.1", "file:///tmp/a.csv"}) {
            assertEquals(kept, Redaction.text(kept));
        }
    }

    @Test
    void valuesOfSecretKeysInKeyValueTextAreRemoved() {
        assertEquals("--conf fs.s3a.secret.key=[redacted] --conf x=1", Redaction.text("--conf fs.s3a.secret.key=FAKESECRET --conf x=1"));
        assertEquals("{\"spark.hadoop.fs.s3a.access.key\":\"[redacted]\",\"a\":1}",
                Redaction.text("{\"spark.hadoop.fs.s3a.access.key\":\"AKIA\\\"FAKE\",\"a\":1}"));
        assertEquals("password: [redacted], user: bob", Redaction.text("password: hunter2, user: bob"));
    }

    @Test
    void theRedactingWriterRedactsEveryLineAndKeepsTheRest() {
        StringWriter sink = new StringWriter();
        PrintWriter w = new PrintWriter(new RedactingWriter(sink), true);
        w.println("lipflow: error: s3a://K:FAKESECRET@b/x: not found");
        w.print("token=abc");
        w.flush();
        assertEquals("lipflow: error: s3a://[redacted]@b/x: not found" + System.lineSeparator() + "token=[redacted]", sink.toString());
    }
}
