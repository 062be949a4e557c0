package dev.mmcheck.lib.sweep;

import dev.mmcheck.lib.run.Verdict;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGraphics2D;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The sweep's plots, drawn with JFreeChart, each as PNG and SVG (Batik's SVGGraphics2D): the verdict matrix of each
 * property (specs by releases: when each bug opened and closed), the growth of the state space against depth and,
 * where the sweep varies them, processes, and the time of each run against its states.
 */
public final class SweepPlots {
    /** A plot written as {@code stem.png} and {@code stem.svg}. */
    public record Plot(String stem, String title, String caption, int width, int height) {
    }

    private SweepPlots() {
    }

    /** Verdicts in the order of the legend, each with its colour. */
    private static final Map<Verdict, Color> COLORS = colors();

    private static Map<Verdict, Color> colors() {
        Map<Verdict, Color> c = new LinkedHashMap<>();
        c.put(Verdict.VIOLATED, new Color(0xc6, 0x28, 0x28));
        c.put(Verdict.NO_VIOLATION_WITHIN_BOUNDS, new Color(0x2e, 0x7d, 0x32));
        c.put(Verdict.REACHED, new Color(0x81, 0xc7, 0x84));
        c.put(Verdict.NOT_REACHED_WITHIN_BOUNDS, new Color(0xef, 0x6c, 0x00));
        c.put(Verdict.NO_VIOLATION_IN_EXPLORED_PART, new Color(0xf9, 0xd8, 0x25));
        c.put(Verdict.NOT_REACHED_IN_EXPLORED_PART, new Color(0xff, 0xee, 0x58));
        c.put(Verdict.VACUOUS, new Color(0x6a, 0x1b, 0x9a));
        c.put(Verdict.NOT_APPLICABLE, new Color(0xbd, 0xbd, 0xbd));
        return java.util.Collections.unmodifiableMap(c);
    }

    private static final Color ERROR = Color.BLACK;

    /** Writes every plot the sweep has data for into {@code dir}; returns them in the order the summary shows them. */
    public static List<Plot> write(Sweep.Result result, Path dir) throws IOException {
        List<Plot> plots = new ArrayList<>();
        VerdictMatrix m = VerdictMatrix.of(result);
        Set<String> properties = new LinkedHashSet<>();
        for (VerdictMatrix.Line l : m.lines()) properties.add(family(l));
        for (String property : properties) plots.add(verdicts(m, property, dir));
        growth(result, dir, true).ifPresent(plots::add);
        growth(result, dir, false).ifPresent(plots::add);
        plots.add(times(result, dir));
        return plots;
    }

    /** Outcome clauses are each spec's own: they share one matrix. */
    private static String family(VerdictMatrix.Line l) {
        return l.kind() == dev.mmcheck.lib.run.PropertyReport.Kind.OUTCOME ? "outcome" : l.property();
    }

    private static Plot verdicts(VerdictMatrix m, String property, Path dir) throws IOException {
        List<VerdictMatrix.Line> lines = m.lines().stream().filter(l -> family(l).equals(property)).toList();
        List<String> rows = lines.stream().map(l -> shorten(property.equals("outcome") ? l.row() + ": " + l.property() : l.row())).toList();
        int n = m.releases().size();
        List<double[]> cells = new ArrayList<>();
        for (int y = 0; y < lines.size(); y++) {
            for (int x = 0; x < n; x++) {
                Verdict v = lines.get(y).verdicts().get(x);
                cells.add(new double[] {x, y, v == null ? -1 : v.ordinal()});
            }
        }
        double[][] data = new double[3][cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            for (int k = 0; k < 3; k++) data[k][i] = cells.get(i)[k];
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        ds.addSeries("verdicts", data);
        SymbolAxis x = new SymbolAxis("release", m.releases().toArray(new String[0]));
        x.setVerticalTickLabels(true);
        x.setGridBandsVisible(false);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        SymbolAxis y = new SymbolAxis(null, rows.toArray(new String[0]));
        y.setInverted(true);
        y.setGridBandsVisible(false);
        y.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        XYBlockRenderer r = new XYBlockRenderer();
        LookupPaintScale scale = new LookupPaintScale(-1, Verdict.values().length, Color.WHITE);
        scale.add(-1, ERROR);
        for (Map.Entry<Verdict, Color> e : COLORS.entrySet()) scale.add(e.getKey().ordinal(), e.getValue());
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(ds, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        LegendItemCollection legend = new LegendItemCollection();
        Set<Verdict> present = new LinkedHashSet<>();
        boolean errors = false;
        for (VerdictMatrix.Line l : lines) {
            for (Verdict v : l.verdicts()) {
                if (v == null) errors = true;
                else present.add(v);
            }
        }
        for (Map.Entry<Verdict, Color> e : COLORS.entrySet()) {
            if (present.contains(e.getKey())) legend.add(new LegendItem(e.getKey().text(), e.getValue()));
        }
        if (errors) legend.add(new LegendItem("could not run", ERROR));
        plot.setFixedLegendItems(legend);
        String title = property.equals("outcome") ? "exists/forbidden outcome by release" : property + " by release";
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        int longest = rows.stream().mapToInt(String::length).max().orElse(10);
        int width = Math.max(480, Math.min(1800, 7 * longest + 14 * n + 120));
        int height = Math.max(220, 16 * rows.size() + 190);
        Plot p = new Plot("verdicts-" + stem(property), title, "Verdict of " + (property.equals("outcome")
                ? "each spec's exists/forbidden clause" : property) + " for each spec (rows) under each release (columns).", width, height);
        save(chart, p, dir);
        return p;
    }

    /**
     * States against depth ({@code byDepth}) or processes, one line per exploration spec (and arch, and the other
     * bound), under the sweep's last release; empty when no exploration varies that bound.
     */
    private static java.util.Optional<Plot> growth(Sweep.Result result, Path dir, boolean byDepth) throws IOException {
        String last = result.outcomes().isEmpty() ? "" : result.outcomes().getLast().run().release();
        Map<String, XYSeries> series = new LinkedHashMap<>();
        Map<String, Set<Integer>> values = new LinkedHashMap<>();
        for (Sweep.Outcome o : result.outcomes()) {
            Sweep.Run run = o.run();
            if (!run.spec().isExploration() || o.summary().isEmpty() || !run.release().equals(last)) continue;
            values.computeIfAbsent(run.spec().name(), k -> new LinkedHashSet<>()).add(byDepth ? run.depth() : run.processes());
        }
        for (Sweep.Outcome o : result.outcomes()) {
            Sweep.Run run = o.run();
            if (!run.spec().isExploration() || o.summary().isEmpty() || !run.release().equals(last)) continue;
            if (values.get(run.spec().name()).size() < 2) continue;
            String key = run.spec().name() + (run.arch().isEmpty() ? "" : " " + run.arch())
                    + (byDepth ? " P" + run.processes() : " depth " + run.depth());
            series.computeIfAbsent(key, k -> new XYSeries(k, true, false))
                    .add(byDepth ? run.depth() : run.processes(), (double) o.summary().get().states());
        }
        if (series.isEmpty()) return java.util.Optional.empty();
        XYSeriesCollection ds = new XYSeriesCollection();
        series.values().forEach(ds::addSeries);
        NumberAxis x = new NumberAxis(byDepth ? "depth bound" : "processes");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        LogAxis y = log("distinct states");
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < ds.getSeriesCount(); i++) r.setSeriesStroke(i, new BasicStroke(2f));
        XYPlot plot = new XYPlot(ds, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        String title = "State space against " + (byDepth ? "depth" : "processes") + " (" + last + ")";
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Plot p = new Plot(byDepth ? "states-by-depth" : "states-by-processes", title, "Distinct states each exploration reached, "
                + "by its " + (byDepth ? "depth bound" : "process bound") + ", under " + last + " (log scale).", 720, 440);
        save(chart, p, dir);
        return java.util.Optional.of(p);
    }

    /** Time of each run against its states, litmus specs and explorations apart. */
    private static Plot times(Sweep.Result result, Path dir) throws IOException {
        XYSeries litmus = new XYSeries("litmus spec runs", false, true);
        XYSeries explorations = new XYSeries("exploration runs", false, true);
        for (Sweep.Outcome o : result.outcomes()) {
            if (o.summary().isEmpty()) continue;
            Sweep.Summary r = o.summary().get();
            double ms = Math.max(0.01, r.elapsed().toNanos() / 1e6);
            (o.run().spec().isExploration() ? explorations : litmus).add(Math.max(1, r.states()), ms);
        }
        XYSeriesCollection ds = new XYSeriesCollection();
        if (!litmus.isEmpty()) ds.addSeries(litmus);
        if (!explorations.isEmpty()) ds.addSeries(explorations);
        LogAxis x = log("distinct states");
        LogAxis y = log("time (ms)");
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        XYPlot plot = new XYPlot(ds, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("Time per run", new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Plot p = new Plot("time-per-run", "Time per run", "Wall-clock time of each run against the states it explored (log scales; "
                + "runs share the machine, so times are measurements, not results).", 720, 440);
        save(chart, p, dir);
        return p;
    }

    private static void save(JFreeChart chart, Plot p, Path dir) throws IOException {
        ChartUtils.saveChartAsPNG(dir.resolve(p.stem() + ".png").toFile(), chart, p.width(), p.height());
        org.w3c.dom.Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot make a DOM document", e);
        }
        SVGGraphics2D g = new SVGGraphics2D(doc);
        g.setSVGCanvasSize(new Dimension(p.width(), p.height()));
        chart.draw(g, new Rectangle2D.Double(0, 0, p.width(), p.height()));
        try (Writer out = Files.newBufferedWriter(dir.resolve(p.stem() + ".svg"), StandardCharsets.UTF_8)) {
            g.stream(out, true);
        }
        g.dispose();
    }

    /** A log axis with a tick at each power of ten, labelled with the number itself. */
    private static LogAxis log(String label) {
        LogAxis a = new LogAxis(label);
        a.setAutoTickUnitSelection(false);
        a.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1), false, false);
        a.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.##", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
        a.setMinorTickMarksVisible(true);
        return a;
    }

    /** A row label short enough to leave room for the matrix. */
    private static String shorten(String s) {
        return s.length() <= 72 ? s : s.substring(0, 71) + "\u2026";
    }

    /** A file name stem for a property name. */
    static String stem(String property) {
        return property.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "").toLowerCase();
    }

}
