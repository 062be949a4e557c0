package dev.mmcheck.arch.layout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads the bundled layout files (resources layouts/ARCH.layout, then layouts/generic.layout). */
public final class Layouts {
    public static final List<String> ARCHES = List.of("x86_64", "arm64", "riscv64", "s390x", "ppc64");

    private static final Pattern CONFIG = Pattern.compile("config\\s+(\\w+)\\s*=\\s*([yn])(?:\\s+since\\s+(v\\d+\\.\\d+))?");
    private static final Pattern CONST = Pattern.compile("const\\s+(\\w+)\\s*=\\s*(.+)");
    private static final Pattern DEF = Pattern.compile("def\\s+(\\w+)\\s*\\(([^)]*)\\)\\s*=\\s*(.+)");

    private Layouts() {
    }

    public static Optional<Layout> bundled(String arch) {
        if (!ARCHES.contains(arch)) return Optional.empty();
        String archText = resource("layouts/" + arch + ".layout");
        String generic = resource("layouts/generic.layout");
        return Optional.of(parse(arch + ".layout", archText, "generic.layout", generic));
    }

    private static String resource(String path) {
        try (InputStream in = Layouts.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing bundled resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /**
     * Parses an arch file and the generic file into one namespace (arch first). The generic file's definitions are weak,
     * as the kernel's {@code __weak} functions and {@code #ifndef} fallbacks are: a name the arch file defines keeps the
     * arch's definition.
     */
    public static Layout parse(String archFile, String archText, String genericFile, String genericText) {
        String[] arch = {null};
        String[] read = {""};
        Map<String, Boolean> configs = new LinkedHashMap<>();
        Map<String, String> since = new LinkedHashMap<>();
        Map<String, Expr> consts = new LinkedHashMap<>();
        Map<String, Layout.Def> defs = new LinkedHashMap<>();
        Map<String, String> cites = new LinkedHashMap<>();
        List<String[]> files = List.of(new String[] {archFile, archText}, new String[] {genericFile, genericText});
        for (int f = 0; f < files.size(); f++) {
            String[] file = files.get(f);
            boolean weak = f == 1;
            String[] lines = file[1].split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String raw = lines[i];
                int hash = raw.indexOf('#');
                String cite = hash >= 0 ? raw.substring(hash + 1).trim() : "";
                String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
                if (line.isEmpty()) continue;
                int n = i + 1;
                try {
                    Matcher m;
                    if (line.startsWith("arch ")) {
                        if (arch[0] == null) arch[0] = line.substring(5).trim();
                    } else if (line.startsWith("read ")) {
                        if (read[0].isEmpty()) read[0] = line.substring(5).trim();
                    } else if ((m = CONFIG.matcher(line)).matches()) {
                        configs.put(m.group(1), m.group(2).equals("y"));
                        if (m.group(3) != null) {
                            if (m.group(2).equals("n")) throw new IllegalArgumentException("'since' only follows '= y'");
                            since.put(m.group(1), m.group(3));
                        }
                        cites.put(m.group(1), cite);
                    } else if ((m = CONST.matcher(line)).matches()) {
                        Expr e = ExprParser.parse(m.group(2));
                        if (weak && (consts.containsKey(m.group(1)) || defs.containsKey(m.group(1)))) continue;
                        consts.put(m.group(1), e);
                        cites.put(m.group(1), cite);
                    } else if ((m = DEF.matcher(line)).matches()) {
                        List<String> params = new ArrayList<>();
                        for (String p : m.group(2).split(",")) {
                            if (!p.isBlank()) params.add(p.trim());
                        }
                        Expr body = ExprParser.parse(m.group(3));
                        if (weak && (consts.containsKey(m.group(1)) || defs.containsKey(m.group(1)))) continue;
                        defs.put(m.group(1), new Layout.Def(params, body));
                        cites.put(m.group(1), cite);
                    } else {
                        throw new IllegalArgumentException("expected 'arch', 'read', 'config NAME = y|n [since vX.Y]', 'const NAME = EXPR' or 'def NAME(ARGS) = EXPR'");
                    }
                } catch (IllegalArgumentException e) {
                    throw new LayoutException(file[0], n, e.getMessage());
                }
            }
        }
        if (arch[0] == null) throw new LayoutException(archFile, 1, "missing 'arch NAME' line");
        return new Layout(arch[0], read[0], configs, since, consts, defs, cites);
    }
}
