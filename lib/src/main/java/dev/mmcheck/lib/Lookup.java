package dev.mmcheck.lib;

import dev.mmcheck.arch.layout.ArchFeatures;
import dev.mmcheck.arch.layout.Layouts;
import dev.mmcheck.model.profile.Decision;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Names a user gives (a profile, an architecture, a recorded set of decisions) turned into model objects, with one
 * clear message naming what exists when a name does not. The messages carry no location: the caller adds the
 * option or file they came from.
 */
public final class Lookup {
    private Lookup() {
    }

    /** Thrown for a name that does not exist; the message says which names do. */
    public static final class UnknownName extends IllegalArgumentException {
        public UnknownName(String message) {
            super(message);
        }
    }

    public static List<String> profileNames() {
        return Profiles.ALL.stream().map(Profile::name).toList();
    }

    public static Profile profile(String name) {
        return Profiles.named(name).orElseThrow(() -> new UnknownName("unknown profile '" + name + "'; expected a release "
                + dev.mmcheck.model.profile.Timeline.OLDEST + ".." + dev.mmcheck.model.profile.Timeline.NEWEST
                + " (the named eras: " + String.join(", ", Profiles.ERAS.stream().map(Profile::name).toList()) + ")"));
    }

    /** The features an architecture's bundled layout gives the model (no Z3 involved). */
    public static ArchFeatures arch(String name) {
        var layout = Layouts.bundled(name);
        if (layout.isEmpty()) {
            throw new UnknownName("unknown arch '" + name + "'; expected one of " + String.join(", ", Layouts.ARCHES));
        }
        return layout.get().features();
    }

    /**
     * A profile rebuilt from recorded decisions: every point the record names takes its recorded choice; points the
     * record predates take the choice of {@code release}.
     */
    public static Profile recorded(String name, String release, Map<String, String> decisions) {
        return recorded(name, release, decisions, java.util.List.of());
    }

    /**
     * {@link #recorded(String, String, Map)} where a recorded {@code plugin:NAME} choice takes the plugin of that name
     * from {@code plugins} (the {@code --plugin} JARs given to replay), else is an {@link UnknownName} saying so.
     */
    public static Profile recorded(String name, String release, Map<String, String> decisions,
                                   java.util.List<dev.mmcheck.model.plugin.RulePlugin> plugins) {
        Profile p = profile(release);
        for (Map.Entry<String, String> e : decisions.entrySet()) {
            DecisionPoint<?> point = DecisionPoint.named(e.getKey()).orElseThrow(() -> new UnknownName("unknown decision point '"
                    + e.getKey() + "'; this version of mmcheck has " + DecisionPoint.ALL.stream().map(DecisionPoint::name)
                    .collect(Collectors.joining(", "))));
            if (e.getValue().startsWith("plugin:")) {
                String pn = e.getValue().substring("plugin:".length());
                var plugin = plugins.stream().filter(x -> x.name().equals(pn) && x.point().equals(point.name())).findFirst()
                        .orElseThrow(() -> new UnknownName("recorded with the rule plugin " + pn + " for " + point.name()
                                + "; replay with --plugin JAR that provides it"));
                p = p.withPlugin(plugin);
                continue;
            }
            Decision choice = point.choice(e.getValue()).orElseThrow(() -> new UnknownName("unknown choice '" + e.getValue()
                    + "' for " + point.name() + "; this version of mmcheck has " + point.choices().stream()
                    .map(Decision::specName).collect(Collectors.joining(", "))));
            if (p.get(point) != choice) p = p.with(point, choice);
        }
        return new Profile(name, p.release(), p.choices(), p.plugins());
    }
}
