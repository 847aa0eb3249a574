/**
 * ECR's per-operation request quotas as token buckets per account and operation ({@code throttling.*}), checked by
 * both planes before a request's body is read, so a refused request costs a map lookup and a small answer.
 */
package io.berth.server.throttling;
