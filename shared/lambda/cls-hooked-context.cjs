'use strict';
/**
 * cls-hooked's `context` module, which the X-Ray SDK keeps the current segment in
 * (aws-xray-sdk-core/dist/lib/context_utils.js), on Node's AsyncLocalStorage. Every bundle carries it in place of
 * cls-hooked 4.2.2 (infra/constructs/lambda-bundle.ts).
 *
 * Why: cls-hooked enables an async hook for the whole process as soon as the X-Ray SDK loads (every traced
 * worker), and its init and destroy callbacks then run for every promise and socket. On this machine a traced
 * invocation that makes one AWS SDK call and one HTTP call uses 5–17% less CPU without it
 * (`npm run bench -- tracing`), and a loop of awaits ran seven times faster; the bundles are 10 KB smaller
 * (cls-hooked, emitter-listener, shimmer).
 * AsyncLocalStorage needs no hook on Node 24 (AsyncContextFrame). Replacing the cls-hooked parts of the SDK
 * with AsyncLocalStorage is the path the SDK's maintainers describe in aws/aws-xray-sdk-node#338.
 *
 * Only what the SDK and the Powertools Tracer call is here: getNamespace, createNamespace, destroyNamespace,
 * and a namespace's active, get, set, createContext, run, bind and enter. cls-hooked's semantics are kept,
 * including its one global trait the SDK relies on: on AWS Lambda the SDK enters a context once at init
 * (aws-xray-sdk-core/dist/lib/env/aws_lambda.js), outside any run, and every invocation after it finds the
 * facade segment there. That context becomes the namespace's own, the one `active` answers wherever no run has
 * set another.
 */
const { AsyncLocalStorage } = require('node:async_hooks');

const namespaces = new Map();

class Namespace {
  constructor(name) {
    this.name = name;
    this.storage = new AsyncLocalStorage();
    /** The context entered outside any run: active wherever no run has set another. */
    this.root = null;
  }

  get active() {
    return this.storage.getStore() ?? this.root;
  }

  set(key, value) {
    const context = this.active;
    if (!context) throw new Error('No context available. ns.run() or ns.bind() must be called first.');
    context[key] = value;
    return value;
  }

  get(key) {
    return this.active?.[key];
  }

  /** A child of the active context: it reads the parent's keys until it sets its own. */
  createContext() {
    return Object.create(this.active ?? Object.prototype);
  }

  /** Runs `fn` in a new child context, which async work started inside keeps; returns the context. */
  run(fn) {
    const context = this.createContext();
    this.storage.run(context, fn, context);
    return context;
  }

  /** `fn`, made to run in `context` (by default the active one, or a new one) whenever it is called. */
  bind(fn, context) {
    const bound = context ?? this.active ?? this.createContext();
    const { storage } = this;
    return function runInContext(...args) {
      return storage.run(bound, () => fn.apply(this, args));
    };
  }

  /** Outside any run, `context` becomes the namespace's own; inside one, the run's from here on. */
  enter(context) {
    if (this.storage.getStore() === undefined) this.root = context;
    else this.storage.enterWith(context);
  }
}

function getNamespace(name) {
  return namespaces.get(name);
}

function createNamespace(name) {
  if (!name) throw new Error('namespace must be given a name.');
  const namespace = new Namespace(name);
  namespaces.set(name, namespace);
  return namespace;
}

/** What the SDK calls when switched to manual mode (which, on Lambda, it refuses). */
function destroyNamespace(name) {
  const namespace = namespaces.get(name);
  if (!namespace) throw new Error(`can't delete nonexistent namespace! "${name}"`);
  namespace.storage.disable();
  namespaces.delete(name);
}

module.exports = { getNamespace, createNamespace, destroyNamespace };
