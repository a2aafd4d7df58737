/**
 * <guichet-fill>: filling in a procedure, at /demarches/<slug>/remplir/ (and from a
 * resume link, /demarches/<slug>/brouillon/<id>#<secret>). One page at a time with
 * its step; conditions and computed values from the shared evaluator; the device's
 * check then the server's before moving on, with an error summary that takes the
 * focus and links to each field; a "check your answers" page; sending through the
 * outbox, so that it works offline and is never sent twice. Every change is kept in
 * IndexedDB as it is typed, and in the server's draft at each step when online.
 */

import { LitElement, html, nothing, type TemplateResult } from 'lit';

import { GuichetClient, ProblemError, type Form, type ProcedureDetail } from '../api/client';
import { visibility, type FormDefinition, type Visibility } from '../forms';
import { safeEvaluate, truthy } from '../forms/logic';
import { language } from '../i18n';
import { display, errorMap, getAt, missing, serverErrors, setAt, type FieldError, type InvalidParam } from './answers';
import { controlId, fieldsOf, pathKey, renderField, type Choice, type Field, type FieldHost, type Path, type StoredFile, type Upload } from './fields';
import { ft } from './messages';
import { OUTBOX_EVENT, exclusively, flush, isTransient, push, queue } from './outbox';
import { deleteDraft, draftByServerId, draftFor, getDraft, newDraft, saveAnswers, saveDraft, update, type Answers, type LocalDraft } from './store';
import { fillStyles } from './styles';
import { upload } from './upload';

const CHECK = 'check';

export class GuichetFill extends LitElement {
  static properties = {
    params: { attribute: false },
    apiBase: { type: String, attribute: 'api-base' },
    /** Where the app's pages are: '' in the app, Guichet's origin in the form widget. */
    appBase: { type: String, attribute: 'app-base' },
    draft: { state: true },
    errors: { state: true },
    busy: { state: true },
    failure: { state: true },
    uploading: { state: true },
    restarting: { state: true },
    notice: { state: true },
  };

  declare params: Record<string, string>;
  declare apiBase: string;
  declare appBase: string;
  declare draft: LocalDraft | undefined;
  declare errors: FieldError[];
  declare busy: string | undefined;
  declare failure: string | undefined;
  /** Files on their way, by field path. */
  declare uploading: Map<string, Upload[]>;
  /** The person pressed "start again" and is asked to confirm. */
  declare restarting: boolean;
  /** Said to screen readers (a polite live region). */
  declare notice: string;

  /** Settles once the screen shows a page of the form, or why it cannot. */
  readonly ready: Promise<void>;
  private settle: () => void = () => undefined;
  private form: Form | undefined;
  private computedNames: Set<string> | undefined;
  private procedure: ProcedureDetail | undefined;
  private client = new GuichetClient('', language);
  private saving: number | undefined;
  private returnToCheck = false;
  private readonly onOutbox = (event: Event) => {
    const changed = (event as CustomEvent<LocalDraft>).detail;
    if (changed.key === this.draft?.key) this.fromOutbox(changed);
  };

  constructor() {
    super();
    this.params = {};
    this.apiBase = '';
    this.appBase = '';
    this.errors = [];
    this.uploading = new Map();
    this.restarting = false;
    this.notice = '';
    this.ready = new Promise((resolve) => (this.settle = resolve));
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.client = new GuichetClient(this.apiBase, language);
    window.addEventListener(OUTBOX_EVENT, this.onOutbox);
    void this.load().finally(async () => {
      await this.updateComplete;
      this.settle();
    });
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(OUTBOX_EVENT, this.onOutbox);
    if (this.saving !== undefined) void this.persist();
  }

  private get slug(): string {
    return this.params.slug ?? '';
  }

  /** The form's computed fields (their value is the evaluator's, not an answer). */
  private get computed(): Set<string> {
    this.computedNames ??= new Set(fieldsOf(this.definition.pages.flatMap((p) => p.fields)).filter((f) => f.type === 'computed').map((f) => f.varname));
    return this.computedNames;
  }

  private get definition(): FormDefinition {
    return this.form?.definition as FormDefinition;
  }

  private async load(): Promise<void> {
    let draft = this.params.draft ? await this.resumed(this.params.draft) : await draftFor(this.slug);
    if (this.params.draft && !draft) return;
    try {
      [this.form, this.procedure] = await Promise.all([this.client.form(this.slug), this.client.procedure(this.slug)]);
    } catch (error) {
      if (!draft?.form) {
        this.failure = error instanceof ProblemError && error.problem.status !== 0 ? error.message : ft.offlineNoForm;
        return;
      }
      this.form = draft.form as Form; // offline: the form as it was when this draft was started
    }
    if (draft && draft.version !== this.form.version && !draft.form) draft = undefined;
    if (!draft) {
      const start = { ...this.defaults(), ...this.form.prefill };
      draft = newDraft(this.slug, this.procedure?.title ?? this.slug, this.form.version, start, this.visible(start).pages[0] ?? CHECK);
    }
    draft.form ??= this.form;
    draft.title = this.procedure?.title ?? draft.title;
    await saveAnswers(draft);
    this.draft = draft;
    if (draft.delivery === 'refused') this.reopen(draft);
  }

  /** A draft opened from its resume link: the device's copy, or the server's fetched with the link's secret. */
  private async resumed(id: string): Promise<LocalDraft | undefined> {
    const secret = location.hash.slice(1) || undefined;
    history.replaceState(history.state, '', `/demarches/${this.slug}/remplir/`); // the secret leaves the address bar
    const local = await draftByServerId(id);
    if (local) return local;
    try {
      const [{ body, etag }, form] = await Promise.all([this.client.draft(id, { resumeToken: secret }), this.client.form(this.slug)]);
      if (body.state !== 'draft') throw new Error('not a draft');
      const draft = newDraft(this.slug, this.slug, body.version, (body.data ?? {}) as Answers, '');
      Object.assign(draft, { serverId: body.id, etag, resumeToken: secret, synced: Object.keys(body.data ?? {}) });
      if (form.version === body.version) draft.form = form;
      draft.page = visibility(form.definition as FormDefinition, draft.answers).pages[0] ?? CHECK;
      await saveDraft(draft);
      return draft;
    } catch {
      this.failure = ft.resumeFailed;
      return undefined;
    }
  }

  private defaults(): Answers {
    const answers: Answers = {};
    for (const page of this.definition.pages) {
      for (const field of fieldsOf(page.fields)) if (field.default !== undefined) answers[field.varname] = field.default;
    }
    return answers;
  }

  private visible(answers: Answers): Visibility {
    return visibility(this.definition, answers);
  }

  private fromOutbox(changed: LocalDraft): void {
    this.draft = { ...changed, form: this.draft?.form };
    if (changed.delivery === 'refused') this.reopen(this.draft);
    if (changed.delivery === 'sent') void this.focusHeading();
  }

  /** A draft the server refused goes back to the page of its first error. */
  private reopen(draft: LocalDraft): void {
    const invalid = (draft.invalid ?? []) as InvalidParam[];
    this.errors = invalid.length ? serverErrors(invalid) : [{ path: [], message: draft.problem ?? ft.refusedTitle }];
    draft.delivery = 'filling';
    draft.page = invalid.find((p) => p.page)?.page ?? draft.page;
    const page = draft.page;
    void update(draft.key, (d) => ((d.delivery = 'filling'), (d.page = page), true));
    void this.showErrors();
  }

  // ——— the answers ———

  private host(visible: Visibility): FieldHost {
    const errors = errorMap(this.errors);
    return {
      // A computed field shows the value the evaluator gave it; the others, what was answered.
      value: (path: Path) => (path.length === 1 && this.computed.has(String(path[0]))
        ? visible.data[String(path[0])]
        : getAt(this.draft?.answers ?? {}, path)),
      set: (path: Path, value: unknown) => this.change(path, value),
      error: (path: Path) => errors.get(pathKey(path)),
      choices: this.choices(),
      locked: this.form?.locked ?? [],
      map: this.form?.map,
      data: visible.data,
      addRow: (path: Path) => {
        const rows = (getAt(this.draft?.answers ?? {}, path) as unknown[] | undefined) ?? [];
        this.change(path, [...rows, {}]);
      },
      removeRow: (path: Path, index: number) => {
        const rows = [...((getAt(this.draft?.answers ?? {}, path) as unknown[] | undefined) ?? [])];
        rows.splice(index, 1);
        this.change(path, rows.length ? rows : undefined);
        void this.updateComplete.then(() => this.focusControl(path));
      },
      locate: (path: Path) => this.locate(path),
      uploads: (path: Path) => this.uploading.get(pathKey(path)) ?? [],
      addFiles: (path: Path, field: Field, files: File[]) => void this.addFiles(path, field, files),
      removeFile: (path: Path, index: number) => {
        const files = [...((getAt(this.draft?.answers ?? {}, path) as StoredFile[] | undefined) ?? [])];
        files.splice(index, 1);
        this.change(path, files.length ? files : undefined);
        void this.updateComplete.then(() => this.focusControl(path));
      },
    };
  }

  /** Data-source choices as the fields show them. */
  private choices(): Record<string, Choice[]> {
    const given = this.form?.choices ?? {};
    return Object.fromEntries(Object.entries(given).map(([pointer, items]) => [pointer, items.map((c) => ({ value: c.id, label: c.text }))]));
  }

  private showUpload(key: string, index: number, state: Upload): void {
    const list = [...(this.uploading.get(key) ?? [])];
    list[index] = state;
    this.uploading = new Map(this.uploading).set(key, list);
  }

  /** Sends chosen files to the server's draft (made first if need be), each with its progress bar. */
  private async addFiles(path: Path, field: Field, files: File[]): Promise<void> {
    const key = pathKey(path);
    this.errors = this.errors.filter((e) => pathKey(e.path) !== key);
    const max = (field.max_files as number | undefined) ?? 1;
    const already = ((getAt(this.draft?.answers ?? {}, path) as StoredFile[] | undefined) ?? []).length;
    if (already + files.length > max) return void (this.errors = [...this.errors, { path, message: ft.tooManyFiles(max) }]);
    if (!navigator.onLine || !this.draft) return void (this.errors = [...this.errors, { path, message: ft.uploadOffline }]);
    const start = this.uploading.get(key)?.length ?? 0;
    files.forEach((f, i) => this.showUpload(key, start + i, { name: f.name, sent: 0, total: f.size }));
    let stored: LocalDraft | undefined;
    try {
      await this.persist();
      stored = await exclusively(() => push(this.client, this.draft?.key ?? ''));
    } catch (error) {
      files.forEach((f, i) => this.showUpload(key, start + i, { name: f.name, sent: 0, total: f.size, error: error instanceof ProblemError ? error.message : ft.uploadFailed }));
      return;
    }
    if (!stored?.serverId) return;
    this.keepServerState(stored);
    for (const [i, chosen] of files.entries()) {
      try {
        const made = await upload(chosen, {
          submission: stored.serverId, field: String(path[0]), resumeToken: stored.resumeToken,
          onProgress: (sent, total) => this.showUpload(key, start + i, { name: chosen.name, sent, total }),
        });
        const current = (getAt(this.draft?.answers ?? {}, path) as StoredFile[] | undefined) ?? [];
        this.change(path, [...current, { id: made.id, name: made.name, content_type: made.content_type, size: made.size }]);
        this.showUpload(key, start + i, { name: chosen.name, sent: chosen.size, total: chosen.size });
      } catch (error) {
        const message = error instanceof ProblemError ? error.message : ft.uploadFailed;
        this.showUpload(key, start + i, { name: chosen.name, sent: 0, total: chosen.size, error: message });
      }
    }
    // Finished uploads leave the list: the file now shows among the field's files.
    const left = (this.uploading.get(key) ?? []).filter((u) => u.error);
    this.uploading = new Map(this.uploading).set(key, left);
    await this.persist();
  }

  /** The server's check: of the answers as given, or of the draft when it holds files (only a draft has them). */
  private async serverCheck(draft: LocalDraft, page: string | undefined): Promise<void> {
    const withFiles = fieldsOf(this.definition.pages.flatMap((p) => p.fields)).some((f) => f.type === 'file' && draft.answers[f.varname] !== undefined);
    if (!withFiles) {
      await this.client.validate(this.slug, draft.answers, page, draft.version);
      return;
    }
    await this.persist();
    const stored = await exclusively(() => push(this.client, draft.key));
    if (!stored?.serverId) return;
    this.keepServerState(stored);
    await this.client.check(stored.serverId, page, { resumeToken: stored.resumeToken });
  }

  private change(path: Path, value: unknown): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, answers: setAt(this.draft.answers, path, value) };
    window.clearTimeout(this.saving);
    this.saving = window.setTimeout(() => void this.persist(), 300);
  }

  private async persist(): Promise<void> {
    window.clearTimeout(this.saving);
    this.saving = undefined;
    if (this.draft) await saveAnswers(this.draft);
  }

  private locate(path: Path): void {
    this.busy = ft.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        this.busy = undefined;
        const round = (n: number) => Math.round(n * 1e6) / 1e6;
        this.change(path, { lat: round(position.coords.latitude), lon: round(position.coords.longitude) });
      },
      () => {
        this.busy = undefined;
        this.errors = [...this.errors.filter((e) => pathKey(e.path) !== pathKey(path)), { path, message: ft.locateFailed }];
      },
      { timeout: 15000, maximumAge: 60000 },
    );
  }

  // ——— moving between pages ———

  private async next(event: Event): Promise<void> {
    event.preventDefault();
    const draft = this.draft;
    if (!draft || this.busy) return;
    const visible = this.visible(draft.answers);
    const page = this.definition.pages.find((p) => p.id === draft.page);
    if (!page) return;
    const local = missing(page, draft.answers, visible.fields, visible.data);
    if (local.length) return this.showErrors(local);
    this.busy = ft.checking;
    try {
      await this.serverCheck(draft, page.id);
    } catch (error) {
      if (!isTransient(error) && error instanceof ProblemError) {
        this.busy = undefined;
        const params = (error.problem.invalid_params ?? []) as InvalidParam[];
        return this.showErrors(params.length ? serverErrors(params) : [{ path: [], message: error.message }]);
      }
      // Offline: the server checks everything again before the request is sent.
    }
    this.busy = undefined;
    const after = visible.pages.slice(visible.pages.indexOf(page.id) + 1);
    const following = this.returnToCheck ? CHECK : (after[0] ?? CHECK);
    this.returnToCheck = false;
    await this.goTo(following, [...draft.visited, page.id]);
    if (navigator.onLine) void exclusively(() => push(this.client, draft.key)).then((d) => d && this.keepServerState(d), () => undefined);
  }

  private keepServerState(stored: LocalDraft): void {
    if (this.draft?.key === stored.key) {
      this.draft = { ...this.draft, serverId: stored.serverId, etag: stored.etag, synced: stored.synced, resumeToken: stored.resumeToken };
    }
  }

  private async back(): Promise<void> {
    if (!this.draft) return;
    const visited = [...this.draft.visited];
    const previous = visited.pop();
    if (previous === undefined) {
      if (!this.appBase) history.back(); // not the host page's history, in a widget
      return;
    }
    await this.goTo(previous, visited);
  }

  private async goTo(page: string, visited: string[]): Promise<void> {
    if (!this.draft) return;
    this.errors = [];
    this.draft = { ...this.draft, page, visited };
    await this.persist();
    if (this.appBase) this.scrollIntoView();
    else window.scrollTo({ top: 0 });
    await this.focusHeading();
  }

  private async revisit(page: string): Promise<void> {
    if (!this.draft) return;
    this.returnToCheck = true;
    await this.goTo(page, [...this.draft.visited, CHECK]);
  }

  private async send(): Promise<void> {
    const draft = this.draft;
    if (!draft || this.busy) return;
    this.busy = ft.checking;
    try {
      await this.serverCheck(draft, undefined);
    } catch (error) {
      if (!isTransient(error) && error instanceof ProblemError) {
        this.busy = undefined;
        const params = (error.problem.invalid_params ?? []) as InvalidParam[];
        const first = params.find((p) => p.page)?.page;
        if (first) this.draft = { ...draft, page: first };
        return this.showErrors(params.length ? serverErrors(params) : [{ path: [], message: error.message }]);
      }
    }
    this.busy = undefined;
    await this.persist();
    await queue(draft.key);
    await flush(this.client);
  }

  /** Forgets this draft, on the device and on the server, and starts the form afresh. */
  private async startAgain(): Promise<void> {
    const old = this.draft;
    if (!old || !this.form) return;
    window.clearTimeout(this.saving);
    this.saving = undefined;
    const gone = await exclusively(async () => {
      const current = await getDraft(old.key);
      if (current && current.delivery !== 'filling' && current.delivery !== 'refused') return false; // already on its way
      if (current?.serverId) {
        try {
          await this.client.deleteDraft(current.serverId, { resumeToken: current.resumeToken, idempotencyKey: crypto.randomUUID(), ifMatch: current.etag });
        } catch {
          // Offline, changed elsewhere or gone already: unsent drafts expire on the server.
        }
      }
      await deleteDraft(old.key);
      return true;
    });
    this.restarting = false;
    if (!gone) return;
    const start = { ...this.defaults(), ...this.form.prefill };
    const fresh = newDraft(this.slug, old.title, this.form.version, start, this.visible(start).pages[0] ?? CHECK);
    fresh.form = this.form;
    await saveDraft(fresh);
    this.errors = [];
    this.uploading = new Map();
    this.draft = fresh;
    await this.focusHeading();
    this.notice = ft.restarted;
  }

  private renderRestart(draft: LocalDraft): TemplateResult | typeof nothing {
    if (!draft.serverId && !Object.keys(draft.answers).length) return nothing;
    if (!this.restarting) {
      const ask = async () => {
        this.restarting = true;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#restart-confirm')?.focus();
      };
      return html`<p class="restart"><button type="button" class="link" @click=${() => void ask()}>${ft.startAgain}</button></p>`;
    }
    return html`<div class="panel restart" role="group" aria-labelledby="restart-question">
      <p id="restart-question">${ft.restartQuestion}</p>
      <div class="actions">
        <button type="button" id="restart-confirm" @click=${() => void this.startAgain()}>${ft.restartConfirm}</button>
        <button type="button" class="secondary" @click=${() => (this.restarting = false)}>${ft.restartCancel}</button>
      </div>
    </div>`;
  }

  // ——— focus ———

  private async showErrors(errors?: FieldError[]): Promise<void> {
    if (errors) this.errors = errors;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.error-summary')?.focus();
  }

  private async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  private focusControl(path: Path): void {
    const id = controlId(path);
    const target = this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(id)}`) ?? this.renderRoot.querySelector<HTMLElement>(`[id^="${CSS.escape(id)}-"]`);
    const control = target?.matches('fieldset') ? (target.querySelector<HTMLElement>('input, select, textarea') ?? target) : target;
    control?.focus();
  }

  // ——— rendering ———

  private summary(): TemplateResult | typeof nothing {
    if (!this.errors.length) return nothing;
    return html`<div class="error-summary" part="error-summary" role="alert" tabindex="-1" aria-labelledby="summary-title">
      <h2 id="summary-title">${ft.summaryTitle}</h2>
      <ul>${this.errors.map((e) => e.path.length
        ? html`<li><a href="#${controlId(e.path)}" @click=${(ev: Event) => { ev.preventDefault(); this.focusControl(e.path); }}>${e.message}</a></li>`
        : html`<li>${e.message}</li>`)}</ul>
    </div>`;
  }

  /** The link that opens this draft on another device (a person without an account keeps its secret). */
  private resumeLink(draft: LocalDraft): TemplateResult | typeof nothing {
    if (!draft.serverId || !draft.resumeToken) return nothing;
    const link = `${this.appBase || location.origin}/demarches/${this.slug}/brouillon/${draft.serverId}#${draft.resumeToken}`;
    const copy = async (event: Event) => {
      const button = event.target as HTMLButtonElement;
      try {
        await navigator.clipboard.writeText(link);
        button.textContent = ft.copied;
      } catch {
        this.renderRoot.querySelector<HTMLInputElement>('#resume-link')?.select();
      }
    };
    return html`<details class="resume">
      <summary>${ft.resumeLater}</summary>
      <p id="resume-help">${ft.resumeHelp}</p>
      <label for="resume-link">${ft.resumeLinkLabel}</label>
      <input id="resume-link" type="text" readonly .value=${link} aria-describedby="resume-help" />
      <button type="button" class="secondary" @click=${copy}>${ft.copyLink}</button>
    </details>`;
  }

  private renderPage(draft: LocalDraft, visible: Visibility): TemplateResult {
    const index = this.definition.pages.findIndex((p) => p.id === draft.page);
    const page = this.definition.pages[index];
    const step = visible.pages.indexOf(page.id) + 1;
    const host = this.host(visible);
    const items = fieldsOf(page.fields).filter((field) => field.type === 'title' || field.type === 'subtitle' || field.type === 'paragraph'
      ? field.condition === undefined || truthy(safeEvaluate(field.condition, visible.data))
      : visible.fields.includes(field.varname));
    return html`
      <p class="step">${ft.step(step, visible.pages.length)}</p>
      <progress aria-hidden="true" max=${visible.pages.length + 1} .value=${step}></progress>
      <h1 tabindex="-1">${page.title}</h1>
      ${this.summary()}
      ${page.hint ? html`<p class="hint">${page.hint}</p>` : nothing}
      <form novalidate @submit=${(e: Event) => void this.next(e)}>
        ${items.map((field) => renderField(field, [field.varname], `/pages/${index}/fields/${fieldsOf(page.fields).indexOf(field)}`, host))}
        <div class="actions">
          <button part="button" type="submit" ?disabled=${!!this.busy}>${ft.continue}</button>
          ${this.appBase && !draft.visited.length ? nothing : html`<button type="button" class="link" @click=${() => void this.back()}>${ft.back}</button>`}
        </div>
        ${this.busy ? html`<p class="status" role="status">${this.busy}</p>` : nothing}
      </form>
      ${this.resumeLink(draft)}`;
  }

  private renderCheck(draft: LocalDraft, visible: Visibility): TemplateResult {
    const choices = this.choices();
    const sections = this.definition.pages.map((page, index) => ({ page, index })).filter(({ page }) => visible.pages.includes(page.id));
    return html`
      <h1 tabindex="-1">${ft.checkTitle}</h1>
      ${this.summary()}
      ${sections.map(({ page, index }) => html`<section aria-labelledby="check-${page.id}">
        <div class="section-head">
          <h2 id="check-${page.id}">${page.title}</h2>
          <button type="button" class="link" aria-label=${ft.changeLabel(page.title)} @click=${() => void this.revisit(page.id)}>${ft.change}</button>
        </div>
        <dl class="answers">${fieldsOf(page.fields).map((field, i) => ({ field, i }))
          .filter(({ field }) => visible.fields.includes(field.varname))
          .map(({ field, i }) => html`<div>
            <dt>${field.label ?? field.varname}</dt>
            <dd>${display(field, field.type === 'computed' ? visible.data[field.varname] : draft.answers[field.varname], choices, `/pages/${index}/fields/${i}`, language)}</dd>
          </div>`)}</dl>
      </section>`)}
      <p>${ft.sendHint}</p>
      <div class="actions">
        <button part="button" type="button" ?disabled=${!!this.busy} @click=${() => void this.send()}>${ft.send}</button>
        <button type="button" class="link" @click=${() => void this.back()}>${ft.back}</button>
      </div>
      ${this.busy ? html`<p class="status" role="status">${this.busy}</p>` : nothing}
      ${this.resumeLink(draft)}`;
  }

  private renderDelivery(draft: LocalDraft): TemplateResult {
    if (draft.delivery === 'sent') {
      return html`<div class="panel sent">
        <h1 tabindex="-1">${ft.sentTitle}</h1>
        <p>${ft.sentReference}<br /><strong class="code">${draft.reference}</strong></p>
        <p>${ft.sentTracking}<br /><strong class="code">${draft.trackingCode}</strong></p>
      </div>
      <p>${ft.sentKeep}</p>
      <p><a href="${this.appBase}/suivi/">${ft.follow}</a></p>`;
    }
    // Known to be offline, a try is no news: it stays "waiting" until the network is back.
    const waiting = draft.delivery === 'waiting' || !navigator.onLine;
    return html`<h1 tabindex="-1">${waiting ? ft.waiting : ft.sending}</h1>
      <p class="status" role="status">${waiting ? ft.waitingText : ft.sending}</p>`;
  }

  render() {
    const draft = this.draft;
    let body: TemplateResult;
    if (this.failure) body = html`<h1 tabindex="-1">${ft.formUnavailable}</h1><p>${this.failure}</p>`;
    else if (!draft || !this.form) body = html`<p class="status" role="status">${ft.checking}</p>`;
    else if (draft.delivery !== 'filling' && draft.delivery !== 'refused') body = this.renderDelivery(draft);
    else {
      const visible = this.visible(draft.answers);
      const onPage = draft.page !== CHECK && visible.pages.includes(draft.page);
      if (!onPage && draft.page !== CHECK) draft.page = visible.pages[0] ?? CHECK;
      body = html`${draft.page === CHECK ? this.renderCheck(draft, visible) : this.renderPage(draft, visible)}${this.renderRestart(draft)}`;
    }
    return html`<article>
      <p class="back"><a href="${this.appBase}/demarches/${this.slug}/">${draft?.title ?? this.procedure?.title ?? ''}</a></p>
      ${body}
      <p class="visually-hidden" role="status">${this.notice}</p>
    </article>`;
  }

  static styles = fillStyles;
}

if (!customElements.get('guichet-fill')) customElements.define('guichet-fill', GuichetFill);
