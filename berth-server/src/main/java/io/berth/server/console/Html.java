package io.berth.server.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The console's one escaping helper and page frame. Every value a page shows goes through {@link #text} (element
 * content and quoted attribute values alike) or {@link #url} (a query parameter); pages never concatenate a raw value,
 * so a repository name, tag, policy text or finding description cannot inject markup.
 */
public final class Html {
    private Html() {}

    /** {@code s} escaped for HTML text and double-quoted attribute values; "" for null. */
    public static String text(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code s} as a query parameter value (then safe in an attribute, since it has no quotes or brackets). */
    public static String url(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** The hidden CSRF field every POST form carries. */
    public static String csrfField(String token) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + text(token) + "\">";
    }

    /**
     * A whole page. {@code body} is markup the pages built from escaped values; {@code who} (null before sign-in)
     * and {@code csrf} add the navigation and the sign-out form.
     */
    public static String page(String title, String who, String csrf, String body) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(text(title)).append(" · Berth</title><style>").append(STYLE)
                .append("</style></head><body>");
        if (who != null) {
            b.append("<header><nav aria-label=\"Main\"><a href=\"/console/repositories\">Repositories</a> ")
                    .append("<a href=\"/console/registry-policy\">Registry policy</a> ")
                    .append("<a href=\"/console/replication\">Replication</a> ")
                    .append("<a href=\"/console/pull-through\">Pull-through cache</a> ")
                    .append("<a href=\"/console/signing\">Signing</a> <a href=\"/console/webhooks\">Webhooks</a> ")
                    .append("<a href=\"/console/audit\">Audit trail</a> <a href=\"/console/jobs\">Jobs</a></nav>")
                    .append("<form method=\"post\" action=\"/console/signout\" class=\"inline\">")
                    .append(csrfField(csrf)).append("<span>").append(text(who)).append("</span> ")
                    .append("<button type=\"submit\">Sign out</button></form></header>");
        }
        b.append("<main><h1>").append(text(title)).append("</h1>").append(body).append("</main></body></html>\n");
        return b.toString();
    }

    /** A table from escaped cells: {@code rows} are already-built {@code <tr>} strings. */
    public static String table(String caption, String[] headings, CharSequence rows) {
        StringBuilder b = new StringBuilder("<table><caption>").append(text(caption)).append("</caption><thead><tr>");
        for (String h : headings) {
            b.append("<th scope=\"col\">").append(text(h)).append("</th>");
        }
        return b.append("</tr></thead><tbody>").append(rows).append("</tbody></table>").toString();
    }

    /** One row of escaped cells; a cell that is a {@link Markup} is inserted as is (links the page built). */
    public static String row(Object... cells) {
        StringBuilder b = new StringBuilder("<tr>");
        for (Object c : cells) {
            b.append("<td>").append(c instanceof Markup m ? m.html() : text(c)).append("</td>");
        }
        return b.append("</tr>").toString();
    }

    /** Markup a page built from escaped parts, so {@link #row} does not escape it twice. */
    public record Markup(String html) {}

    /** A link whose target and label are escaped. */
    public static Markup link(String href, Object label) {
        return new Markup("<a href=\"" + text(href) + "\">" + text(label) + "</a>");
    }

    /** Previous/next links under a list; a null target is left out (the first or last page). */
    public static String pager(String previous, String next) {
        if (previous == null && next == null) {
            return "";
        }
        return "<nav aria-label=\"Pages\" class=\"pager\">" + (previous == null ? "" : link(previous, "Previous page")
                .html() + " ") + (next == null ? "" : link(next, "Next page").html()) + "</nav>";
    }

    /** A read-only text field with a label, for commands a user copies (select-all on focus is the browser's). */
    public static String copyable(String id, String label, String command) {
        return "<p><label for=\"" + id + "\">" + text(label) + "</label><br><input id=\"" + id
                + "\" class=\"cmd\" type=\"text\" readonly value=\"" + text(command) + "\"></p>";
    }

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:0;color:#111}"
            + "header{display:flex;justify-content:space-between;padding:.5rem 1rem;background:#123;color:#fff}"
            + "header a{color:#fff;margin-right:1rem}main{padding:1rem}table{border-collapse:collapse;margin:1rem 0}"
            + "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
            + "caption{text-align:left;font-weight:bold}.inline{display:inline}.error{color:#a00}"
            + "textarea{width:100%;font-family:monospace}.cmd{width:100%;font-family:monospace}"
            + "a:focus,button:focus,input:focus,textarea:focus,select:focus{outline:3px solid #f80}";
}
