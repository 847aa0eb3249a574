/**
 * Berth's own vulnerability scanner (issue 10): it reads an image's layers as the final filesystem, lists the
 * packages inside, and matches them against vulnerability data the operator imports. Nothing here speaks HTTP;
 * {@code berth-server} wires it to the ECR scanning API and to push events.
 */
package io.berth.scanner;
