package io.berth.server.http.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import org.junit.jupiter.api.Test;

class PaginationTest {
    @Test
    void nDefaultsAndCaps() {
        assertThat(Pagination.parseN(null)).isEqualTo(Pagination.DEFAULT_N);
        assertThat(Pagination.parseN("0")).isZero();
        assertThat(Pagination.parseN("25")).isEqualTo(25);
        assertThat(Pagination.parseN("10001")).isEqualTo(Pagination.MAX_N);
        assertThat(Pagination.parseN("99999999999999999999")).isEqualTo(Pagination.MAX_N);
    }

    @Test
    void badNIs400() {
        for (String n : new String[] {"", "-1", "abc", "1.5", " 1", "0x10"}) {
            assertThatThrownBy(() -> Pagination.parseN(n)).as("n=%s", n)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
        }
    }

    @Test
    void linkHeader() {
        assertThat(Pagination.link("/v2/a/b/tags/list", "v1.0", 2))
                .isEqualTo("</v2/a/b/tags/list?last=v1.0&n=2>; rel=\"next\"");
        assertThat(Pagination.link("/v2/_catalog", "a/b", 10))
                .isEqualTo("</v2/_catalog?last=a%2Fb&n=10>; rel=\"next\"");
    }
}
