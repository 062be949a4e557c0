package dev.mmcheck.spark;

import dev.mmcheck.checker.Strategy;
import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.lib.run.Engine;
import dev.mmcheck.lib.sweep.Sweep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark engine as the library's {@link Engine}: {@code check --engine spark --master URL}. Each check starts a
 * Spark application (a {@link JavaSparkContext}) on the master, runs {@link SparkSearch} (or {@link SwarmSearch} for
 * {@code --strategy swarm}) and stops it. It also runs sweeps ({@code sweep --engine spark}): one Spark job of one task
 * per run of the product, all submitted at once, so the cluster's cores take them as they come free.
 *
 * <p>For a master other than {@code local[...]}, the executors need mmcheck's classes: the jars (or class
 * directories, packed into temporary jars) of the mmcheck modules and their few dependencies are sent with
 * {@code spark.jars}, unless {@code jars} names them.
 *
 * @param master      a Spark master URL: local[N], spark://host:port, yarn, k8s://...
 * @param partitions  fingerprint partitions; 0: twice the default parallelism
 * @param checkpoint  null for none
 * @param jars        comma-separated jars for the executors ("" for the automatic choice)
 */
public record SparkEngine(String master, int partitions, Path checkpoint, int checkpointEvery, boolean resume,
                          String jars, Map<String, String> conf) implements Engine, Sweep.Distributor {

    public static final String DEFAULT_MASTER = "local[2]";

    public SparkEngine {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("--master needs a Spark master URL, e.g. local[2] or spark://host:7077");
        }
        if (!master.startsWith("local") && !master.contains("://") && !master.equals("yarn")) {
            throw new IllegalArgumentException("not a Spark master URL: '" + master
                    + "' (try local[2], spark://host:7077, yarn or k8s://https://host:port)");
        }
        if (partitions < 0) throw new IllegalArgumentException("--partitions must be >= 0: " + partitions);
        if (checkpointEvery < 1) throw new IllegalArgumentException("--checkpoint-every must be >= 1: " + checkpointEvery);
        if (resume && checkpoint == null) throw new IllegalArgumentException("--resume needs --checkpoint DIR");
        conf = Map.copyOf(conf);
    }

    public static SparkEngine local(int cores) {
        return new SparkEngine("local[" + cores + "]", 0, null, 4, false, "", Map.of());
    }

    @Override
    public String describe() {
        return "spark (master " + master + (partitions > 0 ? ", " + partitions + " partitions" : "") + ")";
    }

    @Override
    public <S, A> Outcome<S, A> check(Job<S, A> job) {
        try {
            return run(job);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new Refused(e.getMessage(), e);
        }
    }

    private <S, A> Outcome<S, A> run(Job<S, A> job) {
        if (job.fingerprintBits() != 64) {
            throw new IllegalArgumentException("the spark engine stores 64-bit fingerprints; drop --fingerprint-bits 128");
        }
        boolean swarm = job.strategy() instanceof Strategy.Swarm || job.strategy() instanceof Strategy.RandomWalks;
        if (!swarm && !(job.strategy() instanceof Strategy.BreadthFirst)) {
            throw new IllegalArgumentException("the spark engine runs breadth-first, swarm and random-walk searches, not "
                    + job.strategy().describe());
        }
        ModelSource<S, A> source = new SpecModelSource<>(job.source());
        ModelSource.Instance<S, A> driver = new ModelSource.Instance<>(job.model(), job.properties());
        try (JavaSparkContext sc = context()) {
            if (swarm) {
                SwarmSearch.Result<S, A> r = new SwarmSearch<>(sc, source, driver, job.strategy(), job.maxStates(),
                        job.stopAtFirstViolation()).run();
                return new Outcome<>(r.result(), r.observed());
            }
            int p = partitions > 0 ? partitions : 2 * sc.defaultParallelism();
            SparkSearch.Config config = new SparkSearch.Config(p, job.maxDepth(), job.maxStates(),
                    job.stopAtFirstViolation(), job.timeLimit(), job.cancellation(), checkpoint, checkpointEvery, resume, 0);
            SparkSearch.Result<S, A> r = new SparkSearch<>(sc, source, driver, config).run();
            return new Outcome<>(r.result(), r.observed());
        }
    }

    /**
     * A sweep's runs as Spark jobs of one task each (a task parses its spec and checks it single-threaded, see
     * {@link Sweep.Task#execute}); results reach {@code done} as their jobs finish. A cancellation cancels the jobs
     * still running. Checkpoints and partitions do not apply to sweeps.
     */
    @Override
    public void run(List<Sweep.Task> tasks, Cancellation cancellation, Consumer<Sweep.Remote> done) {
        if (checkpoint != null || resume) throw new Refused("--checkpoint and --resume apply to one check, not to a sweep", null);
        JavaSparkContext context;
        try {
            context = context();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new Refused(e.getMessage(), e);
        }
        try (JavaSparkContext sc = context) {
            runOn(sc, tasks, cancellation, done, describe());
        }
    }

    /** {@link #run(List, Cancellation, Consumer)} in an application already running; {@code engine} names it in errors. */
    static void runOn(JavaSparkContext sc, List<Sweep.Task> tasks, Cancellation cancellation, Consumer<Sweep.Remote> done,
                      String engine) {
        List<JavaFutureAction<List<Sweep.Remote>>> jobs = new ArrayList<>();
        for (Sweep.Task t : tasks) jobs.add(sc.parallelize(List.of(t), 1).map(Sweep.Task::execute).collectAsync());
        for (JavaFutureAction<List<Sweep.Remote>> job : jobs) {
            while (true) {
                if (cancellation.isCancelled()) {
                    jobs.forEach(j -> j.cancel(true));
                    return;
                }
                try {
                    done.accept(job.get(200, TimeUnit.MILLISECONDS).getFirst());
                    break;
                } catch (TimeoutException e) {
                    // poll the cancellation again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancellation.cancel();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a sweep task failed on " + engine + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }

    /** A Spark application on the master, quiet, without its web UI, with mmcheck's jars for remote executors. */
    public JavaSparkContext context() {
        SparkConf c = new SparkConf().setMaster(master).setAppName("mmcheck").set("spark.ui.enabled", "false");
        if (master.startsWith("local")) {
            c.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        } else {
            c.set("spark.jars", jars.isBlank() ? String.join(",", applicationJars()) : jars);
        }
        conf.forEach(c::set);
        return new JavaSparkContext(c);
    }

    /** Classes whose jars (or class directories) the executors need: mmcheck's modules and their dependencies. */
    private static final List<String> SHIPPED = List.of("dev.mmcheck.checker.Model", "dev.mmcheck.model.state.MmState",
            "dev.mmcheck.arch.layout.ArchFeatures", "dev.mmcheck.lib.run.Runner", "dev.mmcheck.spark.SparkSearch",
            "com.google.common.collect.ImmutableMap", "com.google.gson.Gson");

    /** The jars of {@link #SHIPPED}; a class directory (as in a Maven build) is packed into a temporary jar. */
    public static List<String> applicationJars() {
        Set<String> jars = new LinkedHashSet<>();
        for (String name : SHIPPED) {
            try {
                Class<?> c = Class.forName(name, false, SparkEngine.class.getClassLoader());
                Path where = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                jars.add(Files.isDirectory(where) ? packed(where).toUri().toString() : where.toUri().toString());
            } catch (ClassNotFoundException e) {
                // not on this class path (e.g. gson in a trimmed deployment): the executors do not need it either
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return new ArrayList<>(jars);
    }

    private static Path packed(Path classes) {
        try {
            // .../lib/target/classes -> mmcheck-lib-NNN.jar
            Path module = classes.getParent() != null && classes.getParent().getParent() != null
                    ? classes.getParent().getParent().getFileName() : classes.getFileName();
            Path jar = Files.createTempFile("mmcheck-" + module + "-", ".jar");
            jar.toFile().deleteOnExit();
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + classes + " for the executors: " + e.getMessage(), e);
        }
    }
}
