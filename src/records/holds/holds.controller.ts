import { Controller } from '@nestjs/common';

// STUB: to be written.
@Controller()
export class HoldsController {}
