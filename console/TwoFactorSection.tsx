// Two-factor sign-in in Options: enrol a phone (the password, then scan the QR code or type the key and
// confirm with the first code), keep the ten backup codes shown once, or turn it off with a code and the
// password. The password is asked so that a session left open cannot change how its user signs in.

import { useState } from "preact/hooks";
import type { Api } from "./api";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./models/form-errors";
import type { SessionModel } from "./models/session-model";
import { Notice } from "./Notice";
import { TextField } from "./TextField";
import type { TwoFactorEnrolment } from "./types";

/** Where the section is: off, a phone being enrolled, the backup codes just made, or on. */
type Step =
  { kind: "idle" } | { kind: "enrolling"; enrolment: TwoFactorEnrolment } | { kind: "codes"; backupCodes: string[] };

/** The key in groups of four, as apps that take it typed show it. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, "$1 ");

export function TwoFactorSection({ api, session }: { api: Api; session: SessionModel }) {
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const status = session.me.value?.twoFactor ?? { enabled: false, backupCodesLeft: 0, required: false };
  /** Runs a step's request, its refusal shown beside the code. */
  const attempt = async (request: () => Promise<void>) => {
    try {
      await request();
      setErrors(NO_ERRORS);
      setCode("");
      setPassword("");
    } catch (error) {
      setErrors(formErrorsOf(error));
    }
  };
  const start = (event: Event) => {
    event.preventDefault();
    void attempt(async () => setStep({ kind: "enrolling", enrolment: await api.startTwoFactor(password) }));
  };
  const confirm = (event: Event) => {
    event.preventDefault();
    void attempt(async () => {
      // The session learns it is on once the codes are put away: a required enrolment's page would leave before they are read.
      setStep({ kind: "codes", backupCodes: await api.confirmTwoFactor(code.trim()) });
    });
  };
  const turnOff = (event: Event) => {
    event.preventDefault();
    void attempt(async () => {
      await api.disableTwoFactor({ code: code.trim(), password });
      session.setTwoFactor({ ...status, enabled: false, backupCodesLeft: 0 });
    });
  };
  const codeField = (label: string, hint: string) => (
    <TextField
      id="two-factor-code"
      label={label}
      value={code}
      onInput={setCode}
      error={errors.fields.code}
      hint={hint}
      autoComplete="one-time-code"
      required
    />
  );
  const passwordField = (
    <TextField
      id="two-factor-password"
      label="Password, to confirm it is you"
      type="password"
      value={password}
      onInput={setPassword}
      error={errors.fields.password}
      autoComplete="current-password"
      required
    />
  );
  return (
    <section aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Two-factor sign-in</h2>
      {step.kind === "codes" ? (
        <>
          <Notice kind="ok">Two-factor sign-in is on. From now on Hatch asks for a code after your password.</Notice>
          <p>
            Keep these backup codes somewhere safe, away from your phone: each signs you in once if you lose it. They
            are shown only now.
          </p>
          <ol class="backup-codes" aria-label="Backup codes">
            {step.backupCodes.map((backup) => (
              <li key={backup}>
                <code>{backup}</code>
              </li>
            ))}
          </ol>
          <button
            type="button"
            onClick={() => {
              session.setTwoFactor({ ...status, enabled: true, backupCodesLeft: step.backupCodes.length });
              setStep({ kind: "idle" });
            }}
          >
            I have kept them
          </button>
        </>
      ) : status.enabled ? (
        <form onSubmit={turnOff}>
          <p>
            On: Hatch asks for a code from your app after your password. {status.backupCodesLeft} backup codes left.
          </p>
          {codeField(
            "Code to turn it off",
            "The six digits your app shows for Hatch now, or one of your backup codes.",
          )}
          {passwordField}
          {errors.message && <Notice kind="error">{errors.message}</Notice>}
          <button type="submit" class="secondary">
            Turn off two-factor sign-in
          </button>
        </form>
      ) : step.kind === "enrolling" ? (
        <form onSubmit={confirm}>
          <p>Scan the code with an authenticator app (Google Authenticator, Authy, 1Password, …), or type the key.</p>
          <img class="two-factor-qr" src={api.twoFactorQrUrl} alt="QR code to scan with your authenticator app" />
          <p>
            Key: <code class="two-factor-key">{grouped(step.enrolment.secret)}</code>
          </p>
          {codeField("Code your app shows", "The six digits your app shows for Hatch now.")}
          {errors.message && <Notice kind="error">{errors.message}</Notice>}
          <button type="submit">Turn on two-factor sign-in</button>
        </form>
      ) : (
        <form onSubmit={start}>
          <p>
            Off: your password alone signs you in. With it on, Hatch also asks for a code from an app on your phone, so
            a stolen password is not enough.
          </p>
          {passwordField}
          {errors.message && <Notice kind="error">{errors.message}</Notice>}
          <button type="submit">Set up two-factor sign-in</button>
        </form>
      )}
    </section>
  );
}
