// The subset of cucumber's message protocol (NDJSON envelopes, protocol 32) that the run collector reads.
// Declared here rather than imported from @cucumber/messages so the report layer does not depend on a transitive package.

export interface Timestamp {
  seconds: number;
  nanos: number;
}

export interface Tag {
  name: string;
  id?: string;
  astNodeId?: string;
}

interface GherkinStep {
  id: string;
  keyword: string;
  text: string;
}

interface GherkinScenario {
  id: string;
  name: string;
  tags: Tag[];
  steps: GherkinStep[];
  examples?: { tableBody?: { id: string }[] }[];
}

export interface GherkinChild {
  background?: { steps: GherkinStep[] };
  scenario?: GherkinScenario;
  rule?: { name: string; tags?: Tag[]; children: GherkinChild[] };
}

export interface GherkinDocument {
  uri?: string;
  feature?: { name: string; tags: Tag[]; children: GherkinChild[] };
}

export interface Pickle {
  id: string;
  uri: string;
  name: string;
  location?: { line: number };
  astNodeIds: string[];
  tags: Tag[];
  steps: { id: string; text: string; astNodeIds: string[] }[];
}

export interface TestCase {
  id: string;
  pickleId: string;
  testSteps: { id: string; pickleStepId?: string; hookId?: string }[];
}

export interface TestStepResult {
  status: string;
  duration?: Timestamp;
  message?: string;
  exception?: { type: string; message?: string };
}

export interface Attachment {
  body: string;
  contentEncoding: 'IDENTITY' | 'BASE64';
  mediaType: string;
  testCaseStartedId?: string;
  testStepId?: string;
  fileName?: string;
}

export interface Envelope {
  meta?: { implementation?: { name: string; version?: string } };
  gherkinDocument?: GherkinDocument;
  pickle?: Pickle;
  hook?: { id: string; name?: string; sourceReference?: { uri?: string; location?: { line: number } } };
  testRunStarted?: { timestamp: Timestamp };
  testCase?: TestCase;
  testCaseStarted?: { id: string; testCaseId: string; attempt: number; timestamp: Timestamp };
  testStepFinished?: { testCaseStartedId: string; testStepId: string; testStepResult: TestStepResult; timestamp: Timestamp };
  attachment?: Attachment;
  testCaseFinished?: { testCaseStartedId: string; timestamp: Timestamp; willBeRetried: boolean };
  testRunFinished?: { success: boolean; timestamp: Timestamp; message?: string; exception?: { type: string; message?: string } };
  parseError?: { source?: { uri?: string }; message: string };
  undefinedParameterType?: { name: string; expression: string };
}

export function toMillis(t: Timestamp | undefined): number {
  return t ? t.seconds * 1000 + Math.round(t.nanos / 1e6) : 0;
}

/** Reads the message formatter's output: one envelope per line, blank lines ignored. */
export function parseNdjson(text: string): Envelope[] {
  return text.split(/\r?\n/).filter((l) => l.trim().length > 0).map((l) => JSON.parse(l) as Envelope);
}
