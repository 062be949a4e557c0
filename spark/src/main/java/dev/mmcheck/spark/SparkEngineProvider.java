package dev.mmcheck.spark;

import dev.mmcheck.lib.run.Engine;
import dev.mmcheck.lib.run.EngineProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --engine spark}: options master (default local[2]), partitions, checkpoint, checkpoint-every (default 4),
 * resume (true/false), jars, and conf.KEY=VALUE for any Spark setting.
 */
public final class SparkEngineProvider implements EngineProvider {
    private static final Set<String> OPTIONS = Set.of("master", "partitions", "checkpoint", "checkpoint-every", "resume", "jars");

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Engine create(Map<String, String> options) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (e.getKey().startsWith("conf.")) {
                conf.put(e.getKey().substring(5), e.getValue());
            } else if (!OPTIONS.contains(e.getKey())) {
                throw new IllegalArgumentException("the spark engine has no option '" + e.getKey() + "'; it has " + OPTIONS);
            }
        }
        String checkpoint = options.get("checkpoint");
        return new SparkEngine(options.getOrDefault("master", SparkEngine.DEFAULT_MASTER),
                integer(options, "partitions", 0), checkpoint == null ? null : Path.of(checkpoint),
                integer(options, "checkpoint-every", 4), Boolean.parseBoolean(options.getOrDefault("resume", "false")),
                options.getOrDefault("jars", ""), conf);
    }

    private static int integer(Map<String, String> options, String name, int otherwise) {
        String v = options.get(name);
        if (v == null) return otherwise;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a whole number, not '" + v + "'");
        }
    }
}
