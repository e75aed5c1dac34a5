/**
 * Stands in, in function bundles, for the AWS SDK's event streams (`@smithy/core/event-streams`), which its
 * protocols load with `import()` only for an operation that streams events, such as S3's SelectObjectContent
 * (build/aws-sdk-bundling.ts). No worker calls one; one that did would fail with this message
 * rather than misbehave.
 */
'use strict';

throw new Error(
  "This bundle leaves out the AWS SDK's event streams (build/aws-sdk-bundling.ts): an operation that streams events needs them.",
);
