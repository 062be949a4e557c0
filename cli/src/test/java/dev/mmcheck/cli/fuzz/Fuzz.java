package dev.mmcheck.cli.fuzz;

import dev.mmcheck.cli.Main;
import dev.mmcheck.lib.Repo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Malformed inputs for the command line, made by mutating the bundled specs and committed counterexamples, and the
 * oracle every run must pass: no exit 3, no stack trace, exit statuses from the documented set, every bad-input
 * message located (file:line:column), and every input of a class that cannot mean what it says refused (exit 2).
 * Each case comes from one seed, so a failure reproduces from its seed alone.
 */
public final class Fuzz {
    private Fuzz() {
    }

    /** One generated input: its class, its bytes, and whether the input must be refused as bad input. */
    public record Case(String kind, byte[] bytes, boolean mustReject) {
    }

    /** What the command line did with one input. */
    public record Outcome(int exit, String stdout, String stderr) {
    }

    public static final List<String> SPEC_CLASSES = List.of("bytes", "tokens", "invalid-utf8", "control-char",
            "duplicate-header", "second-setup", "depth-zero", "duplicate-ops", "duplicate-check", "unreachable-program",
            "others-reference", "named-before-bounds", "deep-nesting", "long-chain", "big-number", "parenthesised");

    public static final List<String> COUNTEREXAMPLE_CLASSES = List.of("bytes", "truncated", "deep-nesting", "wrong-type",
            "out-of-range", "missing-field", "edited-spec", "wrong-schema", "unknown-decision", "unknown-property",
            "duplicate-key", "edited-call");

    private static final String[] TOKENS = {"spec", "profile", "processes", "pages", "depth", "max-states", "setup", "{", "}",
            "P0", "P1", "P3", "P9", "P2147483648", "A", "B", "Z", "0x100", "-1", "0", "2147483648", "99999999999", "\"", "#",
            "check", "all", "witness", "exists", "forbidden", "==", "!=", "/\\", "\\/", "~", "(", ")", "as", "pipe", "ops",
            "pin(ro", "pin(rw,longterm)", "set", "wp-reuse", "=", "v9.9", "v5.7", "fork", "exit", "unpin", "ksm-merge"};

    public static List<String> seeds(String dir, String ext) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repo.root().resolve(dir))) {
            for (Path f : files.filter(p -> p.toString().endsWith(ext)).sorted().toList()) out.add(Files.readString(f));
        }
        return out;
    }

    // ---- specs

    /** A generator for one case: consecutive seeds give unrelated cases (java.util.Random's first draws do not). */
    private static Random random(long seed) {
        return new Random(new java.util.SplittableRandom(seed).nextLong());
    }

    public static Case spec(long seed, List<String> seeds) {
        Random r = random(seed);
        String kind = SPEC_CLASSES.get(r.nextInt(SPEC_CLASSES.size()));
        String s = seeds.get(r.nextInt(seeds.size()));
        boolean explore = s.contains("\nops ");
        List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
        switch (kind) {
            case "bytes" -> {
                return new Case(kind, byteMutations(r, s.getBytes(StandardCharsets.UTF_8)), false);
            }
            case "tokens" -> {
                String[] words = s.split("(?<=\\s)|(?=\\s)");
                for (int n = 1 + r.nextInt(3); n > 0; n--) {
                    int i = r.nextInt(words.length);
                    if (!words[i].isBlank()) words[i] = TOKENS[r.nextInt(TOKENS.length)];
                }
                return text(kind, String.join("", words), false);
            }
            case "invalid-utf8" -> {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                int at = r.nextInt(b.length);
                byte[] bad = {new byte[] {(byte) 0xc3, (byte) 0xff, (byte) 0xe2, (byte) 0x80, (byte) 0xfe}[r.nextInt(5)]};
                return new Case(kind, splice(b, at, 0, bad), true);
            }
            case "control-char" -> {
                int at = r.nextInt(s.length());
                char c = new char[] {'\0', '\u0001', '\u001b', '\u007f', '\u000b'}[r.nextInt(5)];
                return text(kind, s.substring(0, at) + c + s.substring(at), true);
            }
            case "duplicate-header" -> {
                List<Integer> headers = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).matches("(spec|profile|processes|pages|depth|max-states|title) .*")) headers.add(i);
                }
                int i = headers.get(r.nextInt(headers.size()));
                String dup = lines.get(i);
                if (dup.startsWith("profile") && r.nextBoolean()) dup = "profile " + (dup.contains("v7.0") ? "v5.7" : "v7.0");
                lines.add(i + 1 + r.nextInt(lines.size() - i), dup);
                return text(kind, String.join("\n", lines), true);
            }
            case "second-setup" -> {
                if (!s.contains("\nsetup {")) return spec(seed + 1, seeds);
                return text(kind, s + "\nsetup {\n  P0: read A\n}\n", true);
            }
            case "depth-zero" -> {
                if (!explore) return text(kind, s + "\ndepth " + (r.nextBoolean() ? "0" : "3") + "\n", true);
                return text(kind, s.replaceFirst("(?m)^depth \\d+", "depth 0"), true);
            }
            case "duplicate-ops" -> {
                if (!explore) return spec(seed + 1, seeds);
                Matcher m = Pattern.compile("(?m)^ops (\\S+)").matcher(s);
                m.find();
                return text(kind, s.substring(0, m.end()) + " " + m.group(1) + s.substring(m.end()), true);
            }
            case "duplicate-check" -> {
                Matcher m = Pattern.compile("(?m)^check (\\S+)").matcher(s);
                if (!m.find()) return spec(seed + 1, seeds);
                String extra = r.nextBoolean() ? m.group(1) : "all";
                return text(kind, s.substring(0, m.end()) + " " + extra + (m.group(1).equals("all") ? "" : " all") + s.substring(m.end()), true);
            }
            case "unreachable-program" -> {
                if (explore || s.contains("fork P3")) return spec(seed + 1, seeds);
                return text(kind, s.replaceFirst("(?m)^processes \\d", "processes 4") + "\nP3 {\n  read A\n}\n", true);
            }
            case "others-reference" -> {
                Matcher m = Pattern.compile("(?m)^(forbidden|exists) .*?P(\\d):([a-z][a-z0-9_-]*)").matcher(s);
                if (!m.find()) return spec(seed + 1, seeds);
                int owner = Integer.parseInt(m.group(2));
                String other = "P" + (owner == 0 ? 1 : 0);
                return text(kind, s.substring(0, m.start(2) - 1) + other + s.substring(m.end(2)), true);
            }
            case "named-before-bounds" -> {
                String bound = r.nextBoolean() ? "processes" : "pages";
                Matcher m = Pattern.compile("(?m)^" + bound + " \\d+\\n").matcher(s);
                if (!m.find()) return spec(seed + 1, seeds);
                return text(kind, s.substring(0, m.start()) + s.substring(m.end()) + "\n" + m.group(), true);
            }
            case "deep-nesting" -> {
                String cond = "P0:A == 0x01";
                int n = 65 + r.nextInt(5000);
                String deep = r.nextBoolean() ? "~".repeat(n) + cond : "(".repeat(n) + cond + ")".repeat(n);
                String body = s.replaceFirst("(?m)^(forbidden|exists) .*$", "");
                return text(kind, body + "\nforbidden " + (deep.length() > 4000 ? deep.substring(0, 4000) : deep) + "\n", true);
            }
            case "long-chain" -> {
                String body = s.replaceFirst("(?m)^(forbidden|exists) .*$", "");
                return text(kind, body + "\nforbidden " + "P0:A == 0x01 /\\ ".repeat(300 + r.nextInt(14000)) + "P0:A == 0x01\n", true);
            }
            case "big-number" -> {
                Matcher m = Pattern.compile("(?m)^(processes|pages|depth|max-states) (\\d+)").matcher(s);
                List<int[]> spots = new ArrayList<>();
                while (m.find()) spots.add(new int[] {m.start(2), m.end(2)});
                int[] at = spots.get(r.nextInt(spots.size()));
                String big = new String[] {"2147483648", "4294967296", "99999999999999999999", "-1", "0x10"}[r.nextInt(5)];
                return text(kind, s.substring(0, at[0]) + big + s.substring(at[1]), true);
            }
            case "parenthesised" -> {
                Matcher m = Pattern.compile("(?m)^(forbidden|exists) (.*)$").matcher(s);
                if (!m.find()) return spec(seed + 1, seeds);
                // A well-formed condition in parentheses: must parse (no mustReject).
                return text(kind, s.substring(0, m.start(2)) + "(" + m.group(2).replaceAll("\\s*#.*$", "") + ")" + s.substring(m.end(2)), false);
            }
            default -> throw new IllegalStateException(kind);
        }
    }

    // ---- counterexamples

    public static Case counterexample(long seed, List<String> seeds) {
        Random r = random(seed);
        String kind = COUNTEREXAMPLE_CLASSES.get(r.nextInt(COUNTEREXAMPLE_CLASSES.size()));
        String s = seeds.get(r.nextInt(seeds.size()));
        switch (kind) {
            case "bytes" -> {
                return new Case(kind, byteMutations(r, s.getBytes(StandardCharsets.UTF_8)), false);
            }
            case "truncated" -> {
                return text(kind, s.substring(0, r.nextInt(Math.max(1, s.lastIndexOf('}')))), true);
            }
            case "deep-nesting" -> {
                String open = r.nextBoolean() ? "[" : "{\"a\":";
                return text(kind, open.repeat(33 + r.nextInt(20000)), true);
            }
            case "wrong-type" -> {
                String[][] swaps = {{"\"initialIndex\": 0", "\"initialIndex\": \"0\""}, {"\"index\": ", "\"index\": true, \"x\": "},
                        {"\"property\": \"", "\"property\": [\""}, {"\"steps\": [", "\"steps\": {\"a\": ["}, {"\"tool\": \"", "\"tool\": 7, \"y\": \""},
                        {"\"decisions\": {", "\"decisions\": [{"}, {"\"index\": 1", "\"index\": 1.5"}};
                String[] sw = swaps[r.nextInt(swaps.length)];
                if (!s.contains(sw[0])) return counterexample(seed + 1, seeds);
                return text(kind, s.replaceFirst(Pattern.quote(sw[0]), Matcher.quoteReplacement(sw[1])), true);
            }
            case "out-of-range" -> {
                String v = new String[] {"4294967296", "-1", "2147483648", "1e10", "99999999999999999999999"}[r.nextInt(5)];
                String field = r.nextBoolean() ? "\"index\": " : "\"initialIndex\": ";
                return text(kind, s.replaceFirst(Pattern.quote(field) + "\\d+", Matcher.quoteReplacement(field + v)), true);
            }
            case "missing-field" -> {
                String f = new String[] {"schema", "tool", "spec", "sha256", "text", "profile", "release", "arch", "decisions",
                        "property", "initialIndex", "steps", "violation"}[r.nextInt(13)];
                String out = s.replaceFirst("\"" + f + "\":", "\"" + f + "-gone\":");
                return text(kind, out, true);
            }
            case "edited-spec" -> {
                int at = s.indexOf("\"text\": \"") + 9 + r.nextInt(200);
                char c = s.charAt(at);
                char d = c == 'a' ? 'b' : 'a';
                if (c == '\\' || c == '"' || s.charAt(at - 1) == '\\') return counterexample(seed + 1, seeds);
                return text(kind, s.substring(0, at) + d + s.substring(at + 1), true);
            }
            case "wrong-schema" -> {
                return text(kind, s.replace("mmcheck-counterexample/2", new String[] {"mmcheck-counterexample/1",
                        "mmcheck-report/2", "", "mmcheck-counterexample/3"}[r.nextInt(4)]), true);
            }
            case "unknown-decision" -> {
                return text(kind, r.nextBoolean() ? s.replace("\"wp-reuse\":", "\"wp-reuse-x\":")
                        : s.replaceFirst("\"gup-cow-break\": \"[a-z-]+\"", "\"gup-cow-break\": \"sometimes\""), true);
            }
            case "unknown-property" -> {
                return text(kind, s.replaceFirst("\"property\": \"[^\"]*\"", "\"property\": \"no-such-property\""), true);
            }
            case "duplicate-key" -> {
                return text(kind, s.replaceFirst("\"property\":", "\"property\": \"x\", \"property\":"), true);
            }
            case "edited-call" -> {
                return text(kind, s.replaceFirst("\"call\": \"P", "\"call\": \"Q"), false);
            }
            default -> throw new IllegalStateException(kind);
        }
    }

    // ---- running and judging

    public static Outcome check(Path file) {
        return run("check", file.toString(), "--time-limit", "100ms", "--quiet");
    }

    public static Outcome replay(Path file) {
        return run("replay", file.toString());
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final Pattern LOCATED = Pattern.compile("^.+:[0-9]+:[0-9]+: .+$");

    /** What the run did wrong, or an empty list. */
    public static List<String> problems(Case c, Path file, Outcome o) {
        List<String> p = new ArrayList<>();
        if (o.exit() == 3) p.add("internal error: " + o.stderr());
        if (!List.of(0, 1, 2, 4).contains(o.exit())) p.add("undocumented exit status " + o.exit());
        String both = o.stdout() + o.stderr();
        if (both.contains("\tat ") || both.contains("Exception in thread") || both.matches("(?s).*\\bat [a-z]+\\.[a-zA-Z.]+\\(.*")) {
            p.add("a stack trace");
        }
        if (o.exit() == 2) {
            for (String line : o.stderr().split("\n")) {
                if (line.isEmpty()) continue;
                if (!line.startsWith(file.toString()) || !LOCATED.matcher(line).matches()) p.add("message without a location: " + line);
            }
        }
        if (c.mustReject() && o.exit() != 2) p.add("accepted without a word (exit " + o.exit() + "), expected exit 2");
        return p;
    }

    private static Case text(String kind, String s, boolean mustReject) {
        return new Case(kind, s.getBytes(StandardCharsets.UTF_8), mustReject);
    }

    private static byte[] byteMutations(Random r, byte[] b) {
        byte[] cur = b;
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            int at = r.nextInt(cur.length + 1);
            switch (r.nextInt(5)) {
                case 0 -> cur = splice(cur, at, 0, new byte[] {(byte) r.nextInt(256)});
                case 1 -> cur = splice(cur, Math.min(at, cur.length - 1), 1, new byte[] {(byte) r.nextInt(128)});
                case 2 -> cur = splice(cur, at, Math.min(cur.length - at, 1 + r.nextInt(40)), new byte[0]);
                case 3 -> {
                    int len = Math.min(cur.length - at, 1 + r.nextInt(60));
                    byte[] chunk = java.util.Arrays.copyOfRange(cur, at, at + len);
                    cur = splice(cur, r.nextInt(cur.length + 1), 0, chunk);
                }
                default -> cur = java.util.Arrays.copyOf(cur, at);
            }
            if (cur.length == 0) cur = new byte[] {(byte) ' '};
        }
        return cur;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
