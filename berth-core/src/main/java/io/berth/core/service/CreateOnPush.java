package io.berth.core.service;

/** What an OCI push to a repository that does not exist does ({@code registry.create-on-push}). */
public enum CreateOnPush {
    /** ECR's behaviour: create it only when a CREATE_ON_PUSH creation template matches, with that template's settings. */
    TEMPLATE,
    /** Create it with the settings of a matching CREATE_ON_PUSH template, or the defaults when none matches. */
    ALWAYS,
    /** Refuse the push (NAME_UNKNOWN). */
    NEVER
}
