package dev.mmcheck.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.PropertyResult;
import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.lib.run.SpecSource;
import dev.mmcheck.lib.sweep.Ranges;
import dev.mmcheck.lib.sweep.Sweep;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Spark standalone cluster on this machine: a master and two workers (one core, 1 GiB each) started from
 * Spark's Maven artifacts on 127.0.0.1, executors in their own JVMs. The executors get Spark on their class path
 * from the workers' machine (spark.executor.extraClassPath, as a cluster's Spark installation would give them) and
 * mmcheck's own classes only through spark.jars, which the engine builds as it would for a remote cluster. The
 * exploration must give the same counts, verdicts and traces as the local engine. Skipped, saying why, only if no
 * port can be bound on 127.0.0.1.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StandaloneClusterTest {
    private static final List<Process> started = new ArrayList<>();
    private static Path work;
    private static int masterPort;
    private static String sparkClassPath;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** Every class path entry but mmcheck's own modules: what a Spark installation provides (and some more jars). */
    private static String withoutMmcheck(String cp) {
        return String.join(File.pathSeparator, Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> !e.contains(File.separator + "target" + File.separator) && !e.contains("dev/mmcheck"))
                .toList());
    }

    private static Process launch(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(Arrays.asList(System.getProperty("spark.jvm.options", "").split("\\s+")));
        cmd.removeIf(String::isBlank);
        cmd.addAll(List.of("-Xmx512m", "-cp", sparkClassPath));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        // The workers start executor JVMs: with this JDK (mmcheck's classes need 21+), without a Spark
        // distribution's jars/ directory (SPARK_TESTING: the class path comes from extraClassPath).
        env.put("JAVA_HOME", Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent().toString());
        env.put("SPARK_HOME", work.toString());
        env.put("SPARK_TESTING", "1");
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        try {
            masterPort = freePort();
        } catch (IOException e) {
            assumeTrue(false, "cannot bind a port on 127.0.0.1 (" + e.getMessage() + "): no standalone cluster here");
        }
        work = Files.createTempDirectory("mmcheck-spark-cluster");
        sparkClassPath = testClassPath();
        launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening(masterPort)) {
            assertTrue(started.get(0).isAlive(), "the master exited: " + Files.readString(work.resolve("master.log")));
            assertTrue(System.nanoTime() < deadline, "the master did not listen within 60 s");
            Thread.sleep(200);
        }
        for (int w = 1; w <= 2; w++) {
            Path dir = Files.createDirectories(work.resolve("worker" + w));
            launch("worker" + w, "org.apache.spark.deploy.worker.Worker", "spark://127.0.0.1:" + masterPort,
                    "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
                    "--work-dir", dir.toString());
        }
    }

    @AfterAll
    static void stopCluster() {
        if (sc != null) sc.close();
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static SparkEngine cluster(int partitions) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.executor.memory", "512m");
        conf.put("spark.executor.cores", "1");
        conf.put("spark.cores.max", "2");
        conf.put("spark.executor.extraClassPath", withoutMmcheck(sparkClassPath));
        return new SparkEngine("spark://127.0.0.1:" + masterPort, partitions, null, 4, false, "", conf);
    }

    private static JavaSparkContext sc;

    /** One application for the tests: its executors start once (a JVM per worker). */
    private static JavaSparkContext context() {
        if (sc == null) sc = cluster(0).context();
        return sc;
    }

    /** The local engine and the cluster on one spec; the cluster's result. */
    private static CheckResult<Object, Object> sameOnCluster(String file, int depth, int partitions) throws Exception {
        Path path = SpecEquivalenceTest.spec(file);
        Spec spec = SpecParser.parse(path);
        if (depth > 0) {
            // A shallower copy of an exploration: the executors are cold JVMs, and the test must stay short.
            spec = SpecParser.parse(file + " (depth " + depth + ")", spec.text().replaceFirst("(?m)^depth \\d+$", "depth " + depth));
            assertEquals(depth, spec.depth());
        }
        SpecSource source = new SpecSource(spec.file(), spec.text(), null, "");
        SpecModelSource<Object, Object> models = new SpecModelSource<>(source);
        ModelSource.Instance<Object, Object> in = models.open();
        int maxStates = (int) Math.min(spec.maxStates(), Checker.MAX_STATES);
        CheckResult<Object, Object> local = Checker.of(in.model()).properties(in.properties()).maxDepth(spec.depth())
                .maxStates(maxStates).check();
        CheckResult<Object, Object> remote = new SparkSearch<>(context(), models, SparkSearch.Config.defaults(partitions)
                .maxDepth(spec.depth()).maxStates(maxStates)).run().result();
        Same.assertSameResult(local, remote, file + " on the standalone cluster");
        return remote;
    }

    @Test
    void explorationOnTwoWorkersAsLocal() throws Exception {
        CheckResult<Object, Object> r = sameOnCluster("specs/explore/pfnmap-2pages.mmc", 4, 4);
        assertTrue(r.statistics().distinctStates() > 500, r.statistics().distinctStates() + " states");
        // Both workers ran an executor of the application, with mmcheck's jars shipped by the engine.
        for (int w = 1; w <= 2; w++) {
            try (var apps = Files.list(work.resolve("worker" + w))) {
                List<Path> dirs = apps.toList();
                assertEquals(1, dirs.size(), "worker " + w + " applications; see " + work);
                try (var executors = Files.walk(dirs.get(0))) {
                    assertTrue(executors.anyMatch(f -> f.getFileName().toString().startsWith("mmcheck-lib")),
                            "worker " + w + " got no mmcheck-lib jar; see " + work);
                }
            }
        }
    }

    @Test
    void counterexampleOnTwoWorkersAsLocal() throws Exception {
        CheckResult<Object, Object> r = sameOnCluster("specs/cow/cve-2020-29374-vmsplice-child.mmc", 0, 3);
        assertTrue(r.results().stream().anyMatch(p -> p.status() == PropertyResult.Status.VIOLATED));
    }

    @Test
    void sweepOnTwoWorkersGivesTheLocalRows() throws Exception {
        List<Spec> specs = List.of(SpecParser.parse(SpecEquivalenceTest.spec("specs/cow/cve-2020-29374-vmsplice-child.mmc")),
                SpecParser.parse(SpecEquivalenceTest.spec("specs/uffd/fork-pinned-copy-keeps-wp.mmc")));
        Sweep sweep = new Sweep(specs).profiles(Ranges.profiles("v5.6,v5.8,v5.14,v7.1"));
        Sweep.Distributor onCluster = new Sweep.Distributor() {
            @Override
            public String describe() {
                return "the standalone cluster";
            }

            @Override
            public void run(List<Sweep.Task> tasks, Cancellation cancellation, Consumer<Sweep.Remote> done) {
                SparkEngine.runOn(context(), tasks, cancellation, done, describe());
            }
        };
        Sweep.Result local = sweep.run(p -> { });
        Sweep.Result remote = sweep.distributed(onCluster).run(p -> { });
        assertEquals(SweepOnSparkTest.rows(local), SweepOnSparkTest.rows(remote));
        assertEquals(8, remote.outcomes().size());
        assertEquals(Sweep.Status.COMPLETE, remote.status());
    }
}
