// A lifecycle processing status (run, user, task) as a badge in words.
import { Badge, type BadgeProps } from '@fluentui/react-components';
import type { ProcessingStatus } from '../../lib/lifecycle-api.ts';

const look: Record<ProcessingStatus, [string, BadgeProps['color']]> = {
  queued: ['Queued', 'informative'],
  inProgress: ['In progress', 'brand'],
  completed: ['Completed', 'success'],
  completedWithErrors: ['Completed with errors', 'severe'],
  canceled: ['Canceled', 'informative'],
  failed: ['Failed', 'danger'],
};

export function StatusBadge({ status, size = 'medium' }: { status: ProcessingStatus; size?: BadgeProps['size'] }) {
  const [text, color] = look[status] ?? [status, 'informative'];
  return <Badge appearance="tint" color={color} size={size} data-status={status} style={{ whiteSpace: 'nowrap', overflowWrap: 'normal', flexShrink: 0 }}>{text}</Badge>;
}
