package org.cvdplanner.proposal.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import org.cvdplanner.proposal.ComparedStep;
import org.cvdplanner.proposal.PredictedStep;
import org.cvdplanner.proposal.ProposalView;
import org.cvdplanner.proposal.RecipeStep;
import org.cvdplanner.proposal.ValidationView;
import org.cvdplanner.system.ApiProblemException;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.springframework.http.HttpStatus;

/**
 * One proposal as a figure: the schedule (temperature on the left axis, S2 / H2 / H2S on the
 * right) above the forecast 2H / 1T / defect means with their p5–p95 bands, sharing the time
 * axis; the latest simulator validation's means are drawn dashed over the forecast.
 */
final class ProposalFigure {

    static final int MIN_SIZE = 200;
    static final int MAX_SIZE = 4000;
    // the dashboard's palette, so a printed figure reads like the page
    static final Color[] PHASE_COLOURS = {new Color(0x2f6fde), new Color(0xe0822b), new Color(0x7a8292)};
    static final Color[] GAS_COLOURS = {new Color(0x2ca58d), new Color(0x8e5cd9), new Color(0xc94f7c)};
    static final Color TEMPERATURE_COLOUR = new Color(0xc0392b);
    static final String[] PHASES = {"2H", "1T", "defect"};

    private final JFreeChart chart;
    private final int width;
    private final int height;

    ProposalFigure(ProposalView proposal, ValidationView validation, int width, int height) {
        this.width = width;
        this.height = height;
        this.chart = build(proposal, validation);
    }

    static void checkSize(String field, int value) {
        if (value < MIN_SIZE || value > MAX_SIZE) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    field + ": must be between " + MIN_SIZE + " and " + MAX_SIZE + " pixels").with("field", field);
        }
    }

    byte[] png() {
        BufferedImage image = chart.createBufferedImage(width, height);
        try {
            return ChartUtils.encodeAsPNG(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] svg() {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGDocument().getBytes(StandardCharsets.UTF_8);
    }

    JFreeChart chart() {
        return chart;
    }

    private static JFreeChart build(ProposalView p, ValidationView validation) {
        NumberAxis time = new NumberAxis("time (ns)");
        time.setAutoRangeIncludesZero(true);
        time.setLowerMargin(0);
        time.setUpperMargin(0);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(12);
        plot.add(schedulePlot(p.schedule()), 2);
        plot.add(phasePlot(p.predicted(), validation), 3);
        String title = "Proposal " + p.id().toString().substring(0, 8) + " · " + p.objective() + " = "
                + String.format("%.3f", p.objectiveValue()) + " · predicted final 2H " + String.format("%.3f", p.final2H())
                + (validation == null ? "" : " · simulated " + String.format("%.3f", validation.simulatedFinal2H()));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static XYPlot schedulePlot(List<RecipeStep> schedule) {
        XYSeries temperature = new XYSeries("temperature (K)");
        XYSeriesCollection gases = new XYSeriesCollection();
        XYSeries s2 = new XYSeries("S2");
        XYSeries h2 = new XYSeries("H2");
        XYSeries h2s = new XYSeries("H2S");
        for (RecipeStep s : schedule) {
            temperature.add(s.timeNs(), s.temperatureK());
            s2.add(s.timeNs(), s.s2());
            h2.add(s.timeNs(), s.h2());
            h2s.add(s.timeNs(), s.h2s());
        }
        // a step holds its conditions for its whole duration: draw the last one to its end
        if (!schedule.isEmpty()) {
            RecipeStep last = schedule.get(schedule.size() - 1);
            double end = last.timeNs() + (schedule.size() > 1 ? last.timeNs() - schedule.get(schedule.size() - 2).timeNs() : 1);
            temperature.add(end, last.temperatureK());
            s2.add(end, last.s2());
            h2.add(end, last.h2());
            h2s.add(end, last.h2s());
        }
        gases.addSeries(s2);
        gases.addSeries(h2);
        gases.addSeries(h2s);

        NumberAxis kelvin = new NumberAxis("temperature (K)");
        kelvin.setAutoRangeIncludesZero(false);
        XYStepRenderer temperatureRenderer = new XYStepRenderer();
        temperatureRenderer.setSeriesPaint(0, TEMPERATURE_COLOUR);
        temperatureRenderer.setSeriesStroke(0, new BasicStroke(2.2f));
        XYPlot plot = new XYPlot(new XYSeriesCollection(temperature), null, kelvin, temperatureRenderer);

        NumberAxis molecules = new NumberAxis("molecules");
        plot.setRangeAxis(1, molecules);
        plot.setDataset(1, gases);
        plot.mapDatasetToRangeAxis(1, 1);
        XYStepRenderer gasRenderer = new XYStepRenderer();
        for (int i = 0; i < GAS_COLOURS.length; i++) {
            gasRenderer.setSeriesPaint(i, GAS_COLOURS[i]);
            gasRenderer.setSeriesStroke(i, new BasicStroke(1.4f));
        }
        plot.setRenderer(1, gasRenderer);
        style(plot);
        return plot;
    }

    private static XYPlot phasePlot(List<PredictedStep> predicted, ValidationView validation) {
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        for (int phase = 0; phase < PHASES.length; phase++) {
            YIntervalSeries series = new YIntervalSeries("predicted " + PHASES[phase] + " (mean, p5–p95)");
            for (PredictedStep s : predicted) {
                series.add(s.timeNs(), s.mean().get(phase), s.p5().get(phase), s.p95().get(phase));
            }
            bands.addSeries(series);
        }
        NumberAxis fraction = new NumberAxis("phase fraction");
        fraction.setRange(0, 1);
        DeviationRenderer bandRenderer = new DeviationRenderer(true, false);
        for (int phase = 0; phase < PHASES.length; phase++) {
            bandRenderer.setSeriesPaint(phase, PHASE_COLOURS[phase]);
            bandRenderer.setSeriesFillPaint(phase, PHASE_COLOURS[phase]);
            bandRenderer.setSeriesStroke(phase, new BasicStroke(2f));
        }
        bandRenderer.setAlpha(0.18f);
        XYPlot plot = new XYPlot(bands, null, fraction, bandRenderer);

        if (validation != null) {
            XYSeriesCollection simulated = new XYSeriesCollection();
            double step = predicted.size() > 1 ? predicted.get(1).timeNs() - predicted.get(0).timeNs() : 1;
            double start = predicted.isEmpty() ? 0 : predicted.get(0).timeNs();
            for (int phase = 0; phase < PHASES.length; phase++) {
                final int component = phase;
                simulated.addSeries(series("simulated " + PHASES[phase] + " (mean of " + validation.replicas() + ")",
                        validation.steps(), s -> start + s.t() * step, s -> s.simulated().get(component)));
            }
            plot.setDataset(1, simulated);
            XYLineAndShapeRenderer dashed = new XYLineAndShapeRenderer(true, true);
            for (int phase = 0; phase < PHASES.length; phase++) {
                dashed.setSeriesPaint(phase, PHASE_COLOURS[phase].darker());
                dashed.setSeriesStroke(phase, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
                dashed.setSeriesShape(phase, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
            }
            plot.setRenderer(1, dashed);
        }
        style(plot);
        return plot;
    }

    private static XYSeries series(String name, List<ComparedStep> steps, Function<ComparedStep, Double> x,
            Function<ComparedStep, Double> y) {
        XYSeries series = new XYSeries(name);
        for (ComparedStep s : steps) {
            series.add(x.apply(s), y.apply(s));
        }
        return series;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdde1e8));
        plot.setRangeGridlinePaint(new Color(0xdde1e8));
        plot.setOutlineVisible(false);
    }
}
