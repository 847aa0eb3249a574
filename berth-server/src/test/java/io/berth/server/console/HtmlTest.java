package io.berth.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
    private static final String HOSTILE = "\"'><script>alert(1)</script>&amp;";

    @Test
    void textEscapesEveryMarkupCharacter() {
        assertThat(Html.text(HOSTILE)).isEqualTo("&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;");
        assertThat(Html.text(null)).isEmpty();
    }

    @Test
    void rowsLinksAndCommandsEscapeTheirValues() {
        // a finding's description, a package name and a link label as a scanner might report them
        String row = Html.row(HOSTILE, Html.link("/x?a=" + Html.url(HOSTILE), HOSTILE));
        assertThat(row).doesNotContain("<script>").contains("&lt;script&gt;").contains("a=%22%27%3E%3Cscript");
        assertThat(Html.copyable("c", "label", "docker pull " + HOSTILE)).doesNotContain("<script>", "\"'>");
        assertThat(Html.page(HOSTILE, HOSTILE, HOSTILE, "")).doesNotContain("<script>");
    }
}
