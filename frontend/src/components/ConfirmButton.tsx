import { Button, Group, Modal, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';

interface ConfirmButtonProps {
  /** Text of both the button that opens the dialog and the dialog's confirm button. */
  label: string;
  title: string;
  message: string;
  onConfirm: () => void;
  loading?: boolean;
}

/** A destructive action that asks for confirmation in a dialog first. */
export function ConfirmButton({ label, title, message, onConfirm, loading }: ConfirmButtonProps) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button color="red" variant="subtle" size="xs" onClick={open} loading={loading}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered>
        <Text size="sm">{message}</Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => {
              close();
              onConfirm();
            }}
          >
            {label}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
