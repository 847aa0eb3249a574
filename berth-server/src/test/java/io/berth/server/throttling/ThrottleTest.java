package io.berth.server.throttling;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.config.ThrottlingConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    @Test
    void bucket_holdsOneSecond_refillsAtTheRate_andSaysHowLongToWait() {
        TokenBucket b = new TokenBucket(10, 10, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(b.take(0)).as("take %d of a full bucket", i).isZero();
        }
        assertThat(b.take(0)).as("empty: one token is 100 ms away").isEqualTo(100_000_000L);
        assertThat(b.take(50_000_000L)).as("half a token later").isEqualTo(50_000_000L);
        assertThat(b.take(100_000_000L)).as("a token has refilled").isZero();
        assertThat(b.take(10_000_000_000L)).isZero();
        for (int i = 0; i < 9; i++) {
            assertThat(b.take(10_000_000_000L)).as("refill stops at the capacity").isZero();
        }
        assertThat(b.take(10_000_000_000L)).isPositive();
    }

    @Test
    void peek_saysWhetherATokenIsThere_withoutTakingIt() {
        TokenBucket b = new TokenBucket(1, 1, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(b.peek(0)).as("peek %d leaves the token", i).isZero();
        }
        assertThat(b.take(0)).isZero();
        assertThat(b.peek(0)).as("empty: a token is a second away").isEqualTo(1_000_000_000L);
        assertThat(b.peek(500_000_000L)).isEqualTo(500_000_000L);
        assertThat(b.take(1_000_000_000L)).as("peeks did not delay the refill").isZero();
    }

    @Test
    void ecrMode_hasEcrQuotas_overriddenPerOperation_customHasOnlyTheListed_offHasNone() {
        Throttle ecr = Throttle.of(new ThrottlingConfig(ThrottlingConfig.Mode.ECR, Map.of("PutImage", 50.0)));
        assertThat(ecr.rate("PutImage")).isEqualTo(50.0);
        assertThat(ecr.rate("BatchGetImage")).isEqualTo(2_000.0);
        assertThat(ecr.rate("GetAuthorizationToken")).isEqualTo(500.0);
        assertThat(ecr.rate("DescribeRepositories")).isNull();
        Throttle custom = Throttle.of(new ThrottlingConfig(ThrottlingConfig.Mode.CUSTOM, Map.of("ListImages", 5.0)));
        assertThat(custom.rate("ListImages")).isEqualTo(5.0);
        assertThat(custom.rate("PutImage")).isNull();
        assertThat(Throttle.of(ThrottlingConfig.OFF).enabled()).isFalse();
        assertThat(Throttle.ECR_QUOTAS).hasSize(8).containsEntry("PutImage", 10.0)
                .containsEntry("UploadLayerPart", 500.0).containsEntry("CompleteLayerUpload", 100.0);
    }
}
