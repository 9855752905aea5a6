package org.lipflow.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import org.lipflow.util.Redaction;

import java.util.Map;

/**
 * A configuration as manifests record it: the value of every key whose path names a secret
 * ({@link Redaction#isSecretKey}) replaced by {@value Redaction#REDACTED}, and URIs in string
 * values without their user-info.
 */
public final class RedactedConfig {
    private RedactedConfig() {
    }

    /** {@code c} rendered as concise JSON, redacted. */
    public static String render(Config c) {
        return redact(c).root().render(ConfigRenderOptions.concise());
    }

    /** {@code c} with secret values replaced. */
    public static Config redact(Config c) {
        Config out = c;
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            ConfigValue v = e.getValue();
            if (Redaction.isSecretKey(e.getKey())) {
                out = out.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(Redaction.REDACTED));
            } else if (v.valueType() == ConfigValueType.STRING) {
                String s = (String) v.unwrapped(), r = Redaction.text(s);
                if (!r.equals(s)) {
                    out = out.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(r));
                }
            }
        }
        return out;
    }
}
