package dev.mmcheck.lib.plugin;

import dev.mmcheck.model.plugin.ForkCopyRule;
import dev.mmcheck.model.plugin.MprotectUpgradeRule;
import dev.mmcheck.model.plugin.PageView;
import dev.mmcheck.model.plugin.PluginFailure;
import dev.mmcheck.model.plugin.RulePlugin;
import dev.mmcheck.model.plugin.WpReuseRule;
import dev.mmcheck.model.profile.Profile;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Loads {@link RulePlugin}s from JARs ({@code --plugin JAR}) with {@link ServiceLoader}, checking what a user can get
 * wrong, each with one message: the file is not a readable JAR, it lists no plugin, a class cannot be loaded, a plugin
 * names a point that takes none or implements the wrong interface, two plugins claim one name or one point. Each
 * plugin comes back wrapped so that an exception it throws while deciding becomes a {@link PluginFailure} naming it.
 */
public final class PluginLoader {
    private static final String SERVICES = "META-INF/services/" + RulePlugin.class.getName();
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private PluginLoader() {
    }

    /** Bad plugin input; the message starts with the JAR's path. */
    public static final class PluginException extends Exception {
        public PluginException(String message) {
            super(message);
        }
    }

    /** The plugins of every JAR, in the order given; at most one per decision point and per name over all of them. */
    public static List<RulePlugin> load(List<Path> jars) throws PluginException {
        List<RulePlugin> all = new ArrayList<>();
        Map<String, Path> byPoint = new LinkedHashMap<>();
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Path jar : jars) {
            for (RulePlugin p : load(jar)) {
                Path other = byPoint.putIfAbsent(p.point(), jar);
                if (other != null) {
                    throw new PluginException(jar + ": plugin " + p.name() + " replaces " + p.point() + ", which a plugin of " + other
                            + " already replaces; give one plugin per decision point");
                }
                other = byName.putIfAbsent(p.name(), jar);
                if (other != null) throw new PluginException(jar + ": a plugin named " + p.name() + " is also in " + other);
                all.add(p);
            }
        }
        return all;
    }

    /** The plugins one JAR lists in {@code META-INF/services/dev.mmcheck.model.plugin.RulePlugin}. */
    public static List<RulePlugin> load(Path jar) throws PluginException {
        if (!Files.isRegularFile(jar)) throw new PluginException(jar + ": no such file");
        try (JarFile f = new JarFile(jar.toFile())) {
            if (f.getEntry(SERVICES) == null) {
                throw new PluginException(jar + ": lists no rule plugin; expected the file " + SERVICES
                        + " naming the classes that implement " + String.join(", ", Profile.PLUGGABLE_POINTS.values().stream()
                        .map(Class::getName).sorted().toList()));
            }
        } catch (IOException e) {
            throw new PluginException(jar + ": not a readable JAR (" + e.getMessage() + ")");
        }
        URL url;
        try {
            url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new PluginException(jar + ": " + e.getMessage());
        }
        // Not closed: the plugins' classes load lazily while the check runs.
        URLClassLoader loader = new URLClassLoader(new URL[] {url}, RulePlugin.class.getClassLoader());
        List<RulePlugin> found = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<RulePlugin> provider : ServiceLoader.load(RulePlugin.class, loader).stream().toList()) {
                if (provider.type().getClassLoader() != loader) continue; // a plugin on mmcheck's own class path
                RulePlugin p;
                try {
                    p = provider.get();
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    throw new PluginException(jar + ": cannot create " + provider.type().getName() + " (" + rootMessage(e) + ")");
                }
                found.add(checked(jar, p));
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new PluginException(jar + ": " + rootMessage(e));
        }
        if (found.isEmpty()) throw new PluginException(jar + ": " + SERVICES + " names no class");
        return found;
    }

    private static RulePlugin checked(Path jar, RulePlugin p) throws PluginException {
        String cls = p.getClass().getName();
        String point;
        String name;
        String citation;
        try {
            point = p.point();
            name = p.name();
            citation = p.citation();
        } catch (RuntimeException e) {
            throw new PluginException(jar + ": " + cls + " threw " + e + " when asked its point, name or citation");
        }
        Class<? extends RulePlugin> type = point == null ? null : Profile.PLUGGABLE_POINTS.get(point);
        if (type == null) {
            throw new PluginException(jar + ": " + cls + " replaces '" + point + "', which takes no plugin; expected one of "
                    + String.join(", ", Profile.PLUGGABLE_POINTS.keySet().stream().sorted().toList()));
        }
        if (!type.isInstance(p)) {
            throw new PluginException(jar + ": " + cls + " replaces " + point + " but does not implement " + type.getName());
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PluginException(jar + ": " + cls + " has the name '" + name + "'; expected kebab-case (a-z, 0-9, '-'), at most 64 characters");
        }
        if (citation == null || citation.isBlank()) {
            throw new PluginException(jar + ": plugin " + name + " cites nothing; its citation() names the patch it models");
        }
        return wrap(p, point, name, citation);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t;
    }

    /** The plugin with its answers fixed and its exceptions turned into {@link PluginFailure}s. */
    private static RulePlugin wrap(RulePlugin p, String point, String name, String citation) {
        return switch (p) {
            case WpReuseRule r -> new WpReuse(r, name, citation);
            case ForkCopyRule r -> new ForkCopy(r, name, citation);
            case MprotectUpgradeRule r -> new MprotectUpgrade(r, name, citation);
            default -> throw new IllegalStateException(point);
        };
    }

    /** The plugin's decision, or a {@link PluginFailure} naming it if it threw. */
    private static boolean ask(RulePlugin plugin, java.util.function.BooleanSupplier decision) {
        try {
            return decision.getAsBoolean();
        } catch (RuntimeException | LinkageError e) {
            throw new PluginFailure(plugin, e);
        }
    }

    private record WpReuse(WpReuseRule rule, String name, String citation) implements WpReuseRule {
        @Override
        public boolean reuse(PageView page) {
            return ask(this, () -> rule.reuse(page));
        }
    }

    private record ForkCopy(ForkCopyRule rule, String name, String citation) implements ForkCopyRule {
        @Override
        public boolean copyAtFork(PageView page) {
            return ask(this, () -> rule.copyAtFork(page));
        }
    }

    private record MprotectUpgrade(MprotectUpgradeRule rule, String name, String citation) implements MprotectUpgradeRule {
        @Override
        public boolean canChangeWritable(PageView page) {
            return ask(this, () -> rule.canChangeWritable(page));
        }
    }
}
