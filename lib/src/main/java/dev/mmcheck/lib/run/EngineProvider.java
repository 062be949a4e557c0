package dev.mmcheck.lib.run;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * Makes an {@link Engine} from its name and options ("spark", {master: "local[2]", ...}); found with
 * {@link ServiceLoader}, so a module that is not on the class path simply offers no engine.
 */
public interface EngineProvider {
    /** The name users pass to {@code --engine}. */
    String name();

    /** @throws IllegalArgumentException with a one-line message for a bad option value */
    Engine create(Map<String, String> options);

    /** The engine with this name; {@link IllegalArgumentException} with the names on offer if there is none. */
    static Engine named(String name, Map<String, String> options) {
        StringBuilder names = new StringBuilder("local");
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) {
            if (p.name().equals(name)) return p.create(options);
            names.append(", ").append(p.name());
        }
        throw new IllegalArgumentException("unknown engine '" + name + "'; this build offers: " + names);
    }
}
