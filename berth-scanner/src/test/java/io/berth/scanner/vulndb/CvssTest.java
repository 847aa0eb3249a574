package io.berth.scanner.vulndb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Scores of well-known vectors, as FIRST's and NVD's calculators give them. */
class CvssTest {
    @ParameterizedTest(name = "{0} = {1} {2}")
    @CsvSource({
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:H, 10.0, CRITICAL", // Log4Shell (temporal E:H ignored)
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8, CRITICAL",
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N, 5.9, MEDIUM",
        "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H, 7.8, HIGH",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N, 6.1, MEDIUM",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H, 7.5, HIGH",
        "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N, 1.6, LOW",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N, 0.0, INFORMATIONAL",
        "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H, 9.9, CRITICAL",
        "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H, 9.9, CRITICAL",
    })
    void baseScore_v3(String vector, double score, Severity severity) {
        assertThat(Cvss.baseScore(vector)).hasValue(score);
        assertThat(Severity.ofCvss3(score)).isEqualTo(severity);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"AV:N/AC:L/Au:N/C:P/I:P/A:P, 7.5", "AV:N/AC:M/Au:N/C:N/I:P/A:N, 4.3",
        "AV:N/AC:L/Au:N/C:C/I:C/A:C, 10.0", "AV:L/AC:L/Au:N/C:P/I:N/A:N, 2.1", "(AV:N/AC:M/Au:N/C:P/I:P/A:P), 6.8"})
    void baseScore_v2(String vector, double score) {
        assertThat(Cvss.baseScore(vector)).hasValue(score);
    }

    @ParameterizedTest
    @CsvSource({"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "CVSS:3.1/AV:X/AC:L",
        "garbage", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H"})
    void baseScore_noneForV4OrMalformed(String vector) {
        assertThat(Cvss.baseScore(vector)).isEmpty();
    }
}
