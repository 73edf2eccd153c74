import { describeRedisInStack } from "./redis-checks";

describeRedisInStack("dr");
