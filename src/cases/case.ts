import type { FindingCode } from '../findings/catalog.js';
import type { CommandEffect } from './command-template.js';

export type { CommandEffect };

/** A case page of the library (case-library/<id>.md), as loaded. */
export interface CaseCommand {
  platform: string;
  shell: string;
  /** A template: `{slot}` names (command-template.ts) stand where a capture's values go. */
  command: string;
  /** What it checks or changes, in short English (page key `purpose`). */
  purpose: string;
  /** The same in Chinese (page key `purpose_zh`), shown when netcase runs in Chinese (NETCASE_LANG=zh). */
  purposeZh: string;
  /** check (read-only), change, or replace (overwrites a whole list or range). */
  effect: CommandEffect;
  /** What could go wrong, in short English (page key `risk`; `none: read-only` for a read-only check). */
  risk: string;
  /** The same in Chinese (page key `risk_zh`; `无：只读` for a read-only check). */
  riskZh: string;
  reboot: boolean;
}

/**
 * cause: the finding is what the page is about; supports: evidence that fits the page but is not
 * its cause (an RTO stall beside a PMTU black hole); contradicts: evidence against the page
 * (size-dependent loss argues against random loss).
 */
export type SignatureRole = 'cause' | 'supports' | 'contradicts';
export const SIGNATURE_ROLES: readonly SignatureRole[] = ['cause', 'supports', 'contradicts'];

export interface CaseSignature {
  code: FindingCode;
  role: SignatureRole;
  when: Partial<Record<ConditionKey, string | number | boolean>>;
}

/** `reason`: the finding gives that reason id (findings/reasons.ts), e.g. "ruled_out.random_loss_size_dependent". */
export const CONDITION_KEYS = ['port', 'tls_version', 'client_ttl_class', 'server_ttl_class', 'rcode', 'qname_has_dot', 'tls_alert', 'client_certificate', 'reason'] as const;
export type ConditionKey = (typeof CONDITION_KEYS)[number];

export const BODY_HEADINGS = ['Summary', 'Symptoms', 'How to confirm', 'Root cause', 'Resolution', 'What did not help'] as const;

export interface Case {
  id: string;
  title: string;
  titleZh: string;
  aliases: string[];
  symptoms: string[];
  platforms: string[];
  signatures: CaseSignature[];
  commands: CaseCommand[];
  references: string[];
  ticket: string | null;
  /** The general page this one is a specific instance of (a seed incident of a general fault, an artefact the capture guide covers). */
  instanceOf: string | null;
  /** A page that covers a whole family (the capture guide): it never outranks a page for the specific problem it covers. */
  catchAll: boolean;
  /** Body sections by heading. */
  sections: Record<(typeof BODY_HEADINGS)[number], string>;
  file: string;
}
