package io.steer.llm.pipeline;

/**
 * Where an {@link EventDelivery} reports each batch's outcome besides its own counts:
 * {@link #NONE}, or the meters of {@link BatchMeters}, so that the delivery itself needs
 * no Micrometer type.
 */
interface BatchCounts {

	/** Reports nothing. */
	BatchCounts NONE = new BatchCounts() {

		@Override
		public void delivered() {
		}

		@Override
		public void dropped() {
		}

		@Override
		public void failed() {
		}

	};

	/** A batch's handler completed. */
	void delivered();

	/** A batch was dropped. */
	void dropped();

	/** A batch's handler failed. */
	void failed();

}
