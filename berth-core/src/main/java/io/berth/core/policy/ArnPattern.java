package io.berth.core.policy;

/**
 * An ARN pattern for Resource/NotResource and the Arn condition operators. IAM checks "each of the six
 * colon-delimited components of the ARN separately" (IAM condition operators page, ARN operators), so a wildcard
 * never crosses a colon except inside the last (resource) component, which may itself contain colons. A lone
 * {@code *} matches every resource, including the {@code *} resource of actions that have none.
 */
final class ArnPattern {
    private static final int SEGMENTS = 6;

    private final Template[] segments;
    private final boolean everything;

    private ArnPattern(Template[] segments, boolean everything) {
        this.segments = segments;
        this.everything = everything;
    }

    /** Compiles {@code text}; refuses anything that is neither {@code *} nor a six-component ARN pattern. */
    static ArnPattern compile(String text, boolean variables, Refusals refusals, String where) {
        if (text.equals("*")) {
            return new ArnPattern(null, true);
        }
        String[] parts = text.split(":", SEGMENTS);
        if (parts.length < SEGMENTS || !parts[0].equals("arn")) {
            throw refusals.refuse("'" + text + "' in " + where + " must be '*' or an ARN of the form"
                    + " arn:partition:service:region:account:resource");
        }
        Template[] segments = new Template[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = Template.compile(parts[i], variables, true, false, refusals, where);
        }
        return new ArnPattern(segments, false);
    }

    boolean matches(RequestContext ctx, String arn) {
        if (everything) {
            return true;
        }
        int start = 0;
        for (int i = 0; i < SEGMENTS; i++) {
            int end;
            if (i == SEGMENTS - 1) {
                end = arn.length();
            } else {
                end = arn.indexOf(':', start);
                if (end < 0) {
                    return false;
                }
            }
            if (!segments[i].matches(ctx, arn, start, end)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }
}
