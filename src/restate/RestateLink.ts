import { onAbort } from '../calls/onAbort.js';
import type { OnewayCallInfo } from '../calls/types.js';
import type { Clock } from '../clock.js';
import { TimeoutError } from '../errors.js';
import { startTimer } from '../startTimer.js';
import { type Answer, answerOf, failureOf, jsonBody, request } from './ingress.js';
import { CANCEL, ONEWAY_HEADER } from './wire.js';

/**
 * The calls of one client to one served handler object, over Restate's HTTP ingress. Each call is
 * submitted once the one before it was (a sync call without options: once it was answered), so that the
 * object runs them in the order they were made. A sync call is a request–response invocation; with a
 * deadline or a signal it is sent as a one-way invocation and then attached to, so that it can be
 * cancelled by its invocation id.
 */
export class RestateLink {
  /** How errors name the object: `Counter/c1`. */
  readonly name: string;
  readonly #ingress: string;
  readonly #base: string;
  readonly #clock: Clock;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #onOnewayError: (error: unknown, call: OnewayCallInfo) => void;
  #submitted: Promise<unknown> = Promise.resolve();
  #pending = 0;

  constructor(
    ingress: string,
    service: string,
    key: string,
    options: {
      clock: Clock;
      headers: Readonly<Record<string, string>>;
      onOnewayError: ((error: unknown, call: OnewayCallInfo) => void) | undefined;
    },
  ) {
    this.name = `${service}/${key}`;
    this.#ingress = ingress.replace(/\/+$/, '');
    this.#base = `${this.#ingress}/${encodeURIComponent(service)}/${encodeURIComponent(key)}`;
    this.#clock = options.clock;
    this.#headers = { 'content-type': 'application/json', ...options.headers };
    this.#onOnewayError =
      options.onOnewayError ??
      ((error, call) =>
        console.error(`greenstate: oneway call ${this.name}.${call.method}() failed:`, error));
  }

  /** Sync calls sent and not settled yet. */
  get pending(): number {
    return this.#pending;
  }

  call(method: string, args: readonly unknown[], timeout?: number, signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (method === CANCEL) return Promise.reject(this.#notACall());
    let body: string;
    try {
      body = this.#encode(method, args);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#pending++;
    const done = () => {
      this.#pending--;
    };
    const answer =
      timeout === undefined && signal === undefined
        ? this.#submit(() => this.#post(method, `/${encodeURIComponent(method)}`, body)).then((response) =>
            answerOf({ handler: this.name, method }, response),
          )
        : this.#invoke(method, body, timeout, signal);
    answer.then(done, done);
    return answer;
  }

  /** Submits the oneway call (refusing arguments that are not JSON at once); its failure is reported. */
  oneway(method: string, args: readonly unknown[]): void {
    if (method === CANCEL) throw this.#notACall();
    const body = this.#encode(method, args);
    void this.#submit(() =>
      this.#post(method, `/${encodeURIComponent(method)}/send`, body, { [ONEWAY_HEADER]: '1' }),
    )
      .then(async (response) => {
        if (!response.ok) throw failureOf({ handler: this.name, method }, response);
      })
      .catch((error: unknown) => this.#onOnewayError(error, { method, args }));
  }

  /** Sends the call, attaches to its invocation, and cancels that if the deadline or the signal comes first. */
  #invoke(
    method: string,
    body: string,
    timeout: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const attach = new AbortController();
    let invocation: string | undefined;
    let failed = false;
    return new Promise<unknown>((resolve, reject) => {
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        stop();
        reject(error);
        attach.abort(error);
        if (invocation !== undefined) this.#cancel(method, invocation);
      };
      const clearTimer =
        timeout === undefined
          ? undefined
          : startTimer(this.#clock, timeout, () => fail(TimeoutError.of(this.name, method, timeout)));
      const unlisten = signal && onAbort(signal, () => fail(signal.reason));
      const stop = () => {
        clearTimer?.();
        unlisten?.();
      };
      void this.#submit(async () => {
        if (failed) return; // never sent: nothing to cancel
        const response = await this.#post(method, `/${encodeURIComponent(method)}/send`, body);
        if (!response.ok) throw failureOf({ handler: this.name, method }, response);
        invocation = (JSON.parse(response.text) as { invocationId: string }).invocationId;
        if (failed) this.#cancel(method, invocation);
      })
        .then(async () => {
          if (failed || invocation === undefined) return;
          const url = `${this.#ingress}/restate/invocation/${invocation}/attach`;
          const response = await request({ handler: this.name, method }, url, {
            signal: attach.signal,
          });
          const value = await answerOf({ handler: this.name, method }, response);
          if (!failed) {
            stop();
            resolve(value);
          }
        })
        .catch(fail);
    });
  }

  /** Runs `send` once every call made before it was submitted; the next call waits for this one's. */
  #submit<T>(send: () => Promise<T>): Promise<T> {
    const sent = this.#submitted.then(send);
    this.#submitted = sent.catch(() => {});
    return sent;
  }

  #cancel(method: string, invocation: string): void {
    void this.#post(method, `/${CANCEL}/send`, JSON.stringify(invocation))
      .then(async (response) => {
        if (!response.ok) throw failureOf({ handler: this.name, method }, response);
      })
      .catch((error: unknown) =>
        console.error(`greenstate: cancelling ${this.name}.${method}() (${invocation}) failed:`, error),
      );
  }

  #notACall(): TypeError {
    return new TypeError(
      `${this.name}.${CANCEL}() is not a call: it is how a served object cancels its calls.`,
    );
  }

  #encode(method: string, args: readonly unknown[]): string {
    return jsonBody({ handler: this.name, method }, args);
  }

  #post(method: string, path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
    return request({ handler: this.name, method }, this.#base + path, {
      method: 'POST',
      body,
      headers: { ...this.#headers, ...headers },
    });
  }
}
