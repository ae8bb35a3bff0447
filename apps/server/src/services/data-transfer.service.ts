/** OCPP 1.6 DataTransfer.conf (§6.16). */
export interface DataTransferAnswer {
  status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId';
  data?: string;
}

export type VendorHandler = (
  messageId: string | undefined,
  data: string | undefined,
) => Promise<DataTransferAnswer>;

/**
 * Vendor-specific DataTransfer.req handlers, by vendorId. A vendor without one is answered
 * UnknownVendorId (OCPP 1.6 §4.3), as the contract asks.
 */
export class DataTransferService {
  private readonly handlers = new Map<string, VendorHandler>();

  register(vendorId: string, handler: VendorHandler): void {
    this.handlers.set(vendorId, handler);
  }

  async handle(
    vendorId: string,
    messageId: string | undefined,
    data: string | undefined,
  ): Promise<DataTransferAnswer> {
    const handler = this.handlers.get(vendorId);
    return handler ? handler(messageId, data) : { status: 'UnknownVendorId' };
  }
}
