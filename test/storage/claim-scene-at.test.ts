import { openStores } from '../jobs/queue-fixtures.js';
import { claimSceneAtConformance } from './claim-scene-at.js';

claimSceneAtConformance('sqlite', openStores);
