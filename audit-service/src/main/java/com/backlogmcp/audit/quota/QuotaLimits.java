package com.backlogmcp.audit.quota;

import com.backlogmcp.contracts.vocabulary.Plan;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Daily limits per plan ({@link com.backlogmcp.contracts.vocabulary.Plan}), each from an environment variable ({@code QUOTA_DAILY_FREE|PRO|BUSINESS|ENTERPRISE},
 * {@code RATE_LIMIT_PER_MINUTE}) with the plan table as default. A negative limit means unlimited; 0 refuses everything.
 */
@ConfigurationProperties(QuotaLimits.PREFIX)
public record QuotaLimits(long dailyFree, long dailyPro, long dailyBusiness, long dailyEnterprise, long ratePerMinute) {

    public static final String PREFIX = "backlogmcp.quota";
    public static final long UNLIMITED = -1;

    public long dailyLimit(Plan plan) {
        long limit = switch (plan) {
            case FREE -> dailyFree;
            case PRO -> dailyPro;
            case BUSINESS -> dailyBusiness;
            case ENTERPRISE -> dailyEnterprise;
        };
        return normalise(limit);
    }

    public long rateLimit() {
        return normalise(ratePerMinute);
    }

    private static long normalise(long limit) {
        return limit < 0 ? UNLIMITED : limit;
    }
}
