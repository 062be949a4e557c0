package dev.mmcheck.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Option values with units (90s, 4g) and the checks an output path must pass before any work starts. */
final class Units {
    private Units() {
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,9})([kmgt]?)b?");

    /** "90s", "5m", "1h30m", "250ms". */
    static Duration duration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        Duration d = Duration.ZERO;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            at = m.end();
        }
        if (t.isEmpty() || at != t.length() || d.isZero()) {
            throw new IllegalArgumentException("expected a positive duration such as 90s, 5m, 1h30m or 250ms, got '" + s + "'");
        }
        return d;
    }

    /** "512m", "4g", "800M", "1024k", "2G". */
    static long size(String s) {
        Matcher m = SIZE.matcher(s.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException("expected a size such as 512m or 4g, got '" + s + "'");
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        if (n == 0) throw new IllegalArgumentException("expected a positive size such as 512m or 4g, got '" + s + "'");
        return n << shift;
    }

    /** "2^30" or "1073741824": a power of two. */
    static long powerOfTwo(String s) {
        String t = s.trim();
        long n;
        try {
            n = t.startsWith("2^") ? (Integer.parseInt(t.substring(2)) > 62 ? -1 : 1L << Integer.parseInt(t.substring(2)))
                    : Long.parseLong(t);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n <= 0 || Long.bitCount(n) != 1) {
            throw new IllegalArgumentException("expected a power of two such as 2^30 or 1048576, got '" + s + "'");
        }
        return n;
    }

    static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.1f GiB", bytes / (double) (1L << 30)) : (bytes >> 20) + " MiB";
    }

    /** Why a report cannot be written to f, or null: checked before any spec runs. */
    static String unwritable(Path f) {
        if (f.toString().isBlank()) return "needs a file name";
        if (Files.isDirectory(f)) return "is a directory";
        Path dir = f.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) return "the directory " + dir + " does not exist";
        if (Files.exists(f) ? !Files.isWritable(f) : !Files.isWritable(dir)) return "not writable";
        return null;
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return size(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
