package com.backlogmcp.auth.usage;

import java.util.List;
import java.util.Locale;

/**
 * Server-rendered usage graphics for the account and admin pages: a small SVG bar chart of daily calls and a quota
 * meter. Plain SVG and CSS, so the pages keep their strict Content-Security-Policy (no scripts, no external assets).
 */
public final class UsageChart {

    private static final int WIDTH = 140;
    private static final int HEIGHT = 32;

    private UsageChart() {
    }

    /** One bar per day, oldest on the left; today's bar is darker. The title lists the numbers for screen readers. */
    public static String bars(List<Long> perDay, String what) {
        long max = Math.max(1, perDay.stream().mapToLong(Long::longValue).max().orElse(0));
        int n = Math.max(1, perDay.size());
        double slot = (double) WIDTH / n;
        double bar = Math.max(1, slot - 2);
        StringBuilder svg = new StringBuilder();
        long total = perDay.stream().mapToLong(Long::longValue).sum();
        svg.append("<svg class=\"spark\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
                .append(escape(what + ": " + total + " calls in the last " + n + " days")).append("\">")
                .append("<title>").append(escape(what + ", last " + n + " days: " + join(perDay))).append("</title>");
        for (int i = 0; i < perDay.size(); i++) {
            long v = perDay.get(i);
            double h = v == 0 ? 1 : Math.max(2, (HEIGHT - 2) * (double) v / max);
            String fill = v == 0 ? "#dde1e8" : i == perDay.size() - 1 ? "#1d3fb8" : "#6d8bf0";
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"1\" fill=\"%s\"/>",
                    i * slot + 1, HEIGHT - h, bar, h, fill));
        }
        return svg.append("</svg>").toString();
    }

    /** "12 of 300 calls today" with a fill percentage and a warning class from 80 % on. */
    public record Meter(long used, Long limit, int percent, String level, String text) {
    }

    public static Meter meter(long used, Long limit) {
        if (limit == null) {
            return new Meter(used, null, 0, "", used + (used == 1 ? " call" : " calls") + " today");
        }
        if (limit < 0) {
            return new Meter(used, limit, 0, "", used + (used == 1 ? " call" : " calls") + " today · unlimited plan");
        }
        int percent = limit == 0 ? 100 : (int) Math.min(100, Math.round(100.0 * used / limit));
        String level = used >= limit ? "full" : percent >= 80 ? "high" : "";
        return new Meter(used, limit, percent, level, String.format(Locale.ROOT, "%,d of %,d calls today", used, limit));
    }

    private static String join(List<Long> values) {
        StringBuilder b = new StringBuilder();
        for (Long v : values) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(v);
        }
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
