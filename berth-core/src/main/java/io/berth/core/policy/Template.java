package io.berth.core.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A pattern that may contain policy variables ({@code ${aws:username}}) and the escapes {@code ${*}}, {@code ${?}}
 * and {@code ${$}} (IAM "Policy variables"). Variables are only recognised in {@code 2012-10-17} documents; in
 * {@code 2008-10-17} documents the text is literal, as the IAM Version page says. Without variables the pattern is
 * compiled once; with them it is assembled per request. A variable whose key is absent from the request makes the
 * pattern match nothing, so the element containing it does not match. That is Berth's reading of the IAM page
 * (which offers a default-value syntax for this case; Berth does not support that syntax and refuses it as an
 * unknown variable).
 */
final class Template {
    private final Glob fixed;
    private final List<Object> parts;
    private final boolean wildcards;
    private final boolean ignoreCase;

    private Template(Glob fixed, List<Object> parts, boolean wildcards, boolean ignoreCase) {
        this.fixed = fixed;
        this.parts = parts;
        this.wildcards = wildcards;
        this.ignoreCase = ignoreCase;
    }

    /**
     * Compiles {@code text}; {@code where} names the element for refusals. Parts are String (pattern text),
     * Character (an escaped literal) or ContextKey (a variable).
     */
    static Template compile(String text, boolean variables, boolean wildcards, boolean ignoreCase,
                            Refusals refusals, String where) {
        if (!variables || !text.contains("${")) {
            return new Template(Glob.of(text, wildcards, ignoreCase), List.of(), wildcards, ignoreCase);
        }
        List<Object> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                parts.add(text.substring(i));
                break;
            }
            if (open > i) {
                parts.add(text.substring(i, open));
            }
            int close = text.indexOf('}', open + 2);
            if (close < 0) {
                throw refusals.refuse("unterminated policy variable in " + where);
            }
            String name = text.substring(open + 2, close);
            if (name.equals("*") || name.equals("?") || name.equals("$")) {
                parts.add(name.charAt(0));
            } else {
                ContextKey key = ContextKey.parse(name);
                if (key == null || key.multiValued()) {
                    throw refusals.refuse("unknown policy variable '${" + name + "}' in " + where);
                }
                parts.add(key);
            }
            i = close + 1;
        }
        boolean anyVariable = parts.stream().anyMatch(p -> p instanceof ContextKey);
        if (!anyVariable) {
            return new Template(assemble(parts, null, wildcards, ignoreCase), List.of(), wildcards, ignoreCase);
        }
        return new Template(null, List.copyOf(parts), wildcards, ignoreCase);
    }

    /** The pattern for this request, or null when a variable's key is absent. */
    Glob resolve(RequestContext ctx) {
        return fixed != null ? fixed : assemble(parts, ctx, wildcards, ignoreCase);
    }

    boolean matches(RequestContext ctx, CharSequence text, int from, int to) {
        Glob g = resolve(ctx);
        return g != null && g.matches(text, from, to);
    }

    boolean matchesEverything() {
        return fixed != null && fixed.matchesEverything();
    }

    private static Glob assemble(List<Object> parts, RequestContext ctx, boolean wildcards, boolean ignoreCase) {
        StringBuilder sb = new StringBuilder();
        List<Boolean> wild = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof String s) {
                for (int k = 0; k < s.length(); k++) {
                    char c = s.charAt(k);
                    sb.append(c);
                    wild.add(wildcards && (c == '*' || c == '?'));
                }
            } else if (part instanceof Character c) {
                sb.append(c.charValue());
                wild.add(false);
            } else {
                String value = ((ContextKey) part).stringValue(ctx);
                if (value == null) {
                    return null;
                }
                // A substituted value is literal text: a user named "*" must not match every resource.
                sb.append(value);
                for (int k = 0; k < value.length(); k++) {
                    wild.add(false);
                }
            }
        }
        boolean[] mask = new boolean[wild.size()];
        for (int k = 0; k < mask.length; k++) {
            mask[k] = wild.get(k);
        }
        return Glob.of(sb.toString().toCharArray(), mask, ignoreCase);
    }
}
