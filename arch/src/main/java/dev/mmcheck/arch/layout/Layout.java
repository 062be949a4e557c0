package dev.mmcheck.arch.layout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One architecture's PTE macros as data: feature configs, constants and definitions, each with the
 * header it was transcribed from. Immutable; {@link #withConst} makes a mutated copy (for teeth tests).
 *
 * @param read  where the headers were read (repository, version, commit)
 * @param since for a config that is y only from some release on: that release ({@code config X = y since v6.3})
 */
public record Layout(String arch, String read, Map<String, Boolean> configs, Map<String, String> since, Map<String, Expr> consts,
                     Map<String, Def> defs, Map<String, String> citations) {

    /** A macro or inline function: its parameters and body. */
    public record Def(List<String> params, Expr body) {
    }

    public Layout {
        configs = Map.copyOf(configs);
        since = Map.copyOf(since);
        consts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(consts));
        defs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defs));
        citations = Map.copyOf(citations);
    }

    public boolean config(String name) {
        Boolean b = configs.get(name);
        if (b == null) throw new IllegalArgumentException(arch + ": layout has no 'config " + name + "'");
        return b;
    }

    public Optional<String> citation(String name) {
        return Optional.ofNullable(citations.get(name));
    }

    /** This layout with one constant redefined, e.g. to move a bit. */
    public Layout withConst(String name, long value) {
        if (!consts.containsKey(name)) throw new IllegalArgumentException(arch + " has no constant " + name);
        Map<String, Expr> c = new LinkedHashMap<>(consts);
        c.put(name, new Expr.Num(value));
        return new Layout(arch + " (" + name + " moved)", read, configs, since, c, defs, citations);
    }

    /** The value of a constant, evaluated in Java (constants are closed expressions). */
    public long value(String name) {
        return new ConstEval(this).value(name);
    }

    /** A definition applied to constant arguments, evaluated in Java (e.g. x86's l1tf_max_swapfile_size(46)). */
    public long call(String def, long... args) {
        return new ConstEval(this).call(def, args);
    }

    /** The release from which a config that is y holds, when the layout says so ({@code config X = y since v6.10}). */
    public Optional<String> since(String config) {
        return Optional.ofNullable(since.get(config));
    }

    /** The features that feed the model, from the config lines. */
    public ArchFeatures features() {
        return new ArchFeatures(arch, config("CONFIG_ARCH_HAS_PTE_SPECIAL"), config("__HAVE_ARCH_PTE_SWP_EXCLUSIVE"),
                since.getOrDefault("__HAVE_ARCH_PTE_SWP_EXCLUSIVE", ""), config("CONFIG_HAVE_ARCH_USERFAULTFD_WP"),
                config("CONFIG_HAVE_ARCH_SOFT_DIRTY"), config("mm_forbids_zeropage"));
    }
}
