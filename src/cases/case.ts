import type { FindingCode } from '../findings/catalog.js';
import type { CommandEffect } from './command-template.js';

export type { CommandEffect };

/** A case page of the library (case-library/<id>.md), as loaded. */
export interface CaseCommand {
  platform: string;
  shell: string;
  /** A template: `{slot}` names (command-template.ts) stand where a capture's values go. */
  command: string;
  purpose: string;
  /** check (read-only), change, or replace (overwrites a whole list or range). */
  effect: CommandEffect;
  risk: string;
  reboot: boolean;
}

export interface CaseSignature {
  code: FindingCode;
  when: Partial<Record<ConditionKey, string | number | boolean>>;
}

export const CONDITION_KEYS = ['port', 'tls_version', 'client_ttl_class', 'server_ttl_class', 'rcode', 'qname_has_dot', 'tls_alert', 'client_certificate'] as const;
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
  /** Body sections by heading. */
  sections: Record<(typeof BODY_HEADINGS)[number], string>;
  file: string;
}
