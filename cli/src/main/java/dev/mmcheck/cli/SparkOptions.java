package dev.mmcheck.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The Spark engine's --master and --spark-conf, shared by check and sweep. */
final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "with --engine spark: the Spark master, local[N] (default local[2]), spark://host:7077, yarn or k8s://...")
    String master;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE",
            description = "with --engine spark: a Spark setting for the application, e.g. spark.executor.memory=4g; repeatable")
    List<String> sparkConf = new ArrayList<>();

    /** Whether either option was given. */
    boolean given() {
        return master != null || !sparkConf.isEmpty();
    }

    /** Puts the master and the settings into an engine's options; returns what is wrong with a setting, or null. */
    String addTo(Map<String, String> engineOptions) {
        if (master != null) engineOptions.put("master", master);
        for (String kv : sparkConf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) return "--spark-conf needs KEY=VALUE, got '" + kv + "'";
            engineOptions.put("conf." + kv.substring(0, eq).trim(), kv.substring(eq + 1));
        }
        return null;
    }
}
